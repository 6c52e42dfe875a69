using System.Globalization;
using System.Net;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Interop;

/// <summary>
/// SIPVicious 0.3 (Debian <c>sipvicious</c>) against the registrar on loopback: the extension scanner must learn
/// nothing, and the password cracker must be banned before it reaches the right password.
/// </summary>
public sealed class SipviciousTests
{
    private const string Package = "sipvicious";
    private const int MaxFailures = 5;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("REGISTER", "105,2001,100-110")]
    [InlineData("REGISTER", "100-110,2001")]
    [InlineData("OPTIONS", "105,2001,100-110")]
    [InlineData("INVITE", "105,2001,100-110")]
    public async Task Svwar_cannot_tell_existing_extensions_from_unknown_ones(string method, string extensions)
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("105");
        server.AddUser("2001");

        var output = await RunAsync("svwar", server, "--force", "-e", extensions, "-m", method);

        // The probe for a random extension was answered, so the scan really ran against our server.
        Assert.True(output.Contains("Ok SIP device found", StringComparison.Ordinal), output);
        Assert.DoesNotContain("exists", output, StringComparison.Ordinal);
        Assert.True(output.Contains("found nothing", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task Svwar_without_force_gives_up_because_unknown_extensions_are_challenged_too()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("105");

        var output = await RunAsync("svwar", server, "-e", "100-110", "-m", "REGISTER");

        Assert.True(output.Contains("authentication request for an unknown extension", StringComparison.Ordinal), output);
        Assert.DoesNotContain("exists", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Svcrack_finds_a_late_password_when_banning_is_off()
    {
        // Control for the test below: the tool, the wordlist and our digest interoperate, so "not found" there is the ban.
        await using var server = await LoopbackServer.StartAsync(o => o.Ban = new() { MaxFailures = 0 });
        server.AddUser("2001", "Winter2026");
        using var words = Wordlist.Create("Winter2026");

        var output = await RunAsync("svcrack", server, "-u", "2001", "-d", words.Path);

        Assert.Matches(@"\|\s*2001\s*\|\s*Winter2026\s*\|", output);
    }

    [Fact]
    public async Task Svcrack_is_banned_before_it_reaches_a_late_password_and_other_sources_still_register()
    {
        await using var server = await LoopbackServer.StartAsync(o => o.Ban = new()
        {
            MaxFailures = MaxFailures, Window = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10),
        });
        server.AddUser("2001", "Winter2026");
        server.AddUser("alice", "s3cret");
        using var words = Wordlist.Create("Winter2026");

        var output = await RunAsync("svcrack", server, "-u", "2001", "-d", words.Path);
        using var other = new UdpTestClient(server.Udp, IPAddress.Parse("127.0.0.2"));
        var otherResponse = await other.RegisterAsync("alice", "s3cret", server.Options.Domain);
        using var sameSource = new UdpTestClient(server.Udp, IPAddress.Loopback);
        await sameSource.SendAsync(SipRequests.Simple("OPTIONS", viaSentBy: sameSource.ViaSentBy));
        var sameSourceResponse = await sameSource.ReceiveAsync(TimeSpan.FromSeconds(1));

        Assert.DoesNotContain("Winter2026", output, StringComparison.Ordinal);
        Assert.True(output.Contains("found nothing", StringComparison.Ordinal), output);
        Assert.True(server.Server.Bans.IsBanned(IPAddress.Loopback, "2001"), output);
        // svcrack keeps guessing after the user is banned there: that is a flood, so the whole address is banned too
        // (one phone with a wrong password, which gives up, bans only its user: see FailureBanListTests).
        Assert.Contains(server.Server.Bans.Active(), b => b.Address.Equals(IPAddress.Loopback) && b.User is null && b.Reason == "flood");
        Assert.Equal(200, otherResponse.StatusCode);
        Assert.Null(sameSourceResponse);
        Assert.Equal(1, server.Server.Locations.Count);
    }

    private static async Task<string> RunAsync(string tool, LoopbackServer server, params string[] toolArgs)
    {
        var path = ExternalTool.Require(tool, Package);
        // Fixed local address and external IP (no self-IP discovery), a free local port instead of 5060, and a short
        // give-up time so a banned run ends in seconds.
        string[] common =
        [
            "127.0.0.1", "-p", server.Udp.Port.ToString(CultureInfo.InvariantCulture),
            "-b", "127.0.0.1", "-x", "127.0.0.1", "-P", ExternalTool.FreePort().ToString(CultureInfo.InvariantCulture),
            "--maximumtime", "3", "-v",
        ];
        var (exitCode, output) = await ExternalTool.RunAsync(path, [.. toolArgs, .. common], ToolTimeout);
        Assert.True(exitCode >= 0, $"{tool} did not finish:\n{output}");
        return output;
    }

    /// <summary>Twenty-odd wrong guesses, then the right password last.</summary>
    private sealed class Wordlist : IDisposable
    {
        private Wordlist(string path) => Path = path;

        public string Path { get; }

        public static Wordlist Create(string rightPassword)
        {
            var path = System.IO.Path.Combine(ExternalTool.TempDirectory("svcrack"), "words.txt");
            var wrong = Enumerable.Range(1, 24).Select(i => "guess" + i.ToString(CultureInfo.InvariantCulture));
            File.WriteAllLines(path, [.. wrong, rightPassword]);
            return new Wordlist(path);
        }

        public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }
}
