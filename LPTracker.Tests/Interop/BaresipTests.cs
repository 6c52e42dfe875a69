using System.Diagnostics;
using System.Globalization;
using System.Text;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Interop;

/// <summary>Debian 12's baresip 1.0 registering against the server (MD5 only; SHA-256 offers make it fail).</summary>
public sealed class BaresipTests
{
    private static readonly TimeSpan RegisterTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task Baresip_registers_with_md5_and_unregisters_when_stopped(string transport)
    {
        await using var server = await LoopbackServer.StartAsync(o => o.DigestAlgorithms = "MD5");
        server.AddUser("alice", "s3cret");
        using var baresip = Baresip.Start(server, "alice", "s3cret", transport);

        var online = await WaitOrFailAsync(server, baresip, true);
        await baresip.StopGracefullyAsync();
        var offline = await WaitOrFailAsync(server, baresip, false);

        Assert.StartsWith("baresip", online.UserAgent, StringComparison.OrdinalIgnoreCase);
        Assert.False(offline.Online);
        Assert.Empty(server.Server.Locations.GetBindings("alice"));
    }

    [Theory]
    [InlineData("SHA-256")]
    [InlineData("SHA-256,MD5")]
    public async Task Baresip_fails_to_register_when_sha256_is_offered(string algorithms)
    {
        await using var server = await LoopbackServer.StartAsync(o => o.DigestAlgorithms = algorithms);
        server.AddUser("alice", "s3cret");
        using var baresip = Baresip.Start(server, "alice", "s3cret", "udp");

        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Null(server.Server.Presence.GetPresence("alice"));
        Assert.Empty(server.Server.Locations.GetBindings("alice"));
        Assert.False(baresip.HasExited, "baresip should still be running (and failing to register):\n" + baresip.Output);
        Assert.Contains("401", baresip.Output, StringComparison.Ordinal);
    }

    private static async Task<LPTracker.Telephony.Registrar.SipPresence> WaitOrFailAsync(LoopbackServer server, Baresip baresip, bool online)
    {
        var deadline = DateTime.UtcNow + RegisterTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (server.Server.Presence.GetPresence("alice") is { } p && p.Online == online
                && (online || server.Server.Locations.GetBindings("alice").Count == 0))
            {
                return p;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"alice did not become {(online ? "Online" : "unregistered")}; baresip output:\n{baresip.Output}");
        return null!;
    }

    /// <summary>A baresip process with its own config directory.</summary>
    private sealed class Baresip : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output;
        private readonly string _dir;

        private Baresip(Process process, StringBuilder output, string dir)
        {
            _process = process;
            _output = output;
            _dir = dir;
        }

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static Baresip Start(LoopbackServer server, string user, string password, string transport)
        {
            var executable = ExternalTool.Require("baresip", "baresip");
            var dir = ExternalTool.TempDirectory("baresip");
            var port = ExternalTool.FreePort().ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(dir, "config"), string.Join('\n',
                "poll_method epoll",
                $"sip_listen 127.0.0.1:{port}",
                "module_path /usr/lib/baresip/modules",
                "module account.so",
                "audio_player none",
                "audio_source none",
                "") );
            var target = transport == "tcp" ? server.Tcp : server.Udp;
            File.WriteAllText(Path.Combine(dir, "accounts"),
                $"<sip:{user}@127.0.0.1:{target.Port};transport={transport}>;auth_pass={password};regint=600\n");
            var process = ExternalTool.Start(executable, ["-f", dir, "-s"], dir, redirectInput: true, out var output,
                new Dictionary<string, string> { ["HOME"] = dir });
            return new Baresip(process, output, dir);
        }

        /// <summary>SIGTERM lets baresip unregister before exiting (Process.Kill would send SIGKILL).</summary>
        public async Task StopGracefullyAsync()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            _process.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
