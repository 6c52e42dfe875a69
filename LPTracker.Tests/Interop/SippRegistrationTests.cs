using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Interop;

/// <summary>sipp (Debian sip-tester 3.6) scenarios against the registrar on loopback, over UDP and TCP.</summary>
public sealed class SippRegistrationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    [Theory]
    [InlineData("register-refresh-unregister.xml", "u1")]
    [InlineData("register-refresh-unregister.xml", "t1")]
    [InlineData("wildcard.xml", "u1")]
    [InlineData("interval-too-brief.xml", "u1")]
    public async Task Sipp_scenario_passes(string scenario, string transport)
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("alice", "s3cret");

        var (exitCode, output) = await RunSippAsync(server, scenario, transport, "alice", "s3cret");

        Assert.True(exitCode == 0, $"sipp {scenario} over {transport} failed ({exitCode}):\n{output}");
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("mallory", "s3cret")]
    public async Task Sipp_with_wrong_credentials_is_challenged_again_and_never_registered(string user, string password)
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("alice", "s3cret");

        var (exitCode, output) = await RunSippAsync(server, "wrong-credentials.xml", "u1", user, password);

        Assert.True(exitCode == 0, $"sipp wrong-credentials failed ({exitCode}):\n{output}");
        Assert.Equal(0, server.Server.Locations.Count);
    }

    [Fact]
    public async Task Sipp_registration_shows_up_in_the_presence_feed()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("alice", "s3cret", employeeId: 5, accountId: 9);
        var events = new List<LPTracker.Telephony.Registrar.SipPresence>();
        using var subscription = server.Server.Presence.Subscribe(p => { lock (events) { events.Add(p); } });

        var (exitCode, output) = await RunSippAsync(server, "register-refresh-unregister.xml", "u1", "alice", "s3cret");

        Assert.True(exitCode == 0, output);
        lock (events)
        {
            Assert.Equal([true, false], events.Select(e => e.Online));
            Assert.All(events, e => Assert.Equal((5L, 9), (e.EmployeeId, e.AccountId)));
            Assert.Equal("sipp", events[0].UserAgent);
        }
    }

    private static async Task<(int, string)> RunSippAsync(LoopbackServer server, string scenario, string transport, string user, string password)
    {
        var sipp = ExternalTool.Require("sipp", "sip-tester");
        var dir = ExternalTool.TempDirectory("sipp");
        try
        {
            // sipp 3.6 does not expand [field] inside [authentication]: the whole keyword is a CSV field.
            var csv = Path.Combine(dir, "users.csv");
            await File.WriteAllTextAsync(csv, $"SEQUENTIAL\n{user};[authentication username={user} password={password}];\n");
            var target = transport == "t1" ? server.Tcp : server.Udp;
            var errors = Path.Combine(dir, "errors.log");
            var messages = Path.Combine(dir, "messages.log");
            var args = new[]
            {
                $"127.0.0.1:{target.Port}", "-sf", TestFiles.Path("Interop", "sipp", scenario), "-inf", csv, "-m", "1", "-l", "1",
                "-t", transport, "-i", "127.0.0.1", "-p", ExternalTool.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-timeout", "30s", "-timeout_error", "-recv_timeout", "10000", "-nostdin", "-trace_err", "-error_file", errors,
                "-trace_msg", "-message_file", messages,
            };
            var (exitCode, output) = await ExternalTool.RunAsync(sipp, args, Timeout, dir);
            if (exitCode != 0)
            {
                output += "\n--- errors ---\n" + (File.Exists(errors) ? await File.ReadAllTextAsync(errors) : "")
                    + "\n--- messages ---\n" + (File.Exists(messages) ? await File.ReadAllTextAsync(messages) : "");
            }

            return (exitCode, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
