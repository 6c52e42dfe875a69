using System.Diagnostics;
using System.Globalization;
using System.Text;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Telephony.Sip.Transport;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Interop;

/// <summary>linphone-cli 5.1 (linphonec) registering with SHA-256 digest.</summary>
public sealed class LinphoneTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(25);

    [Theory]
    [InlineData("SHA-256", "udp")]
    [InlineData("SHA-256,MD5", "udp")]
    [InlineData("SHA-256", "tcp")]
    public async Task Linphone_registers_with_sha256_and_unregisters_on_quit(string algorithms, string transport)
    {
        await using var server = await LoopbackServer.StartAsync(o => o.DigestAlgorithms = algorithms);
        server.AddUser("bob", "pa55word");
        using var linphone = Linphone.Start(server, "bob", "pa55word", transport);

        var online = await WaitAsync(server, linphone, online: true);
        await linphone.QuitAsync();
        await WaitAsync(server, linphone, online: false);

        Assert.Contains("Linphone", online.UserAgent, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(server.Server.Locations.GetBindings("bob"));
    }

    [Fact]
    public async Task Linphone_registers_over_tls_trusting_our_self_signed_certificate()
    {
        using var folder = new TempFolder();
        await using var server = await TlsTransportTests.StartTlsServerAsync(folder, o => o.DigestAlgorithms = "SHA-256");
        server.AddUser("bob", "pa55word");
        var ca = Path.Combine(folder.Path, "ca.pem");
        using (var certificate = TlsTransportTests.Certificate(folder))
        {
            await File.WriteAllTextAsync(ca, certificate.ExportCertificatePem());
        }

        using var linphone = Linphone.Start(server, "bob", "pa55word", "tls", ca);

        var online = await WaitAsync(server, linphone, online: true);
        var binding = Assert.Single(server.Server.Locations.GetBindings("bob"));
        await linphone.QuitAsync();
        await WaitAsync(server, linphone, online: false);

        Assert.Contains("Linphone", online.UserAgent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SipTransportKind.Tls, binding.Transport);
    }

    private static async Task<LPTracker.Telephony.Registrar.SipPresence> WaitAsync(LoopbackServer server, Linphone linphone, bool online)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (server.Server.Presence.GetPresence("bob") is { } p && p.Online == online
                && (online || server.Server.Locations.GetBindings("bob").Count == 0))
            {
                return p;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"bob did not become {(online ? "Online" : "unregistered")}; linphonec output:\n{linphone.Output}");
        return null!;
    }

    /// <summary>A linphonec process with a private HOME and config; it quits (and unregisters) when told to or stdin closes.</summary>
    private sealed class Linphone : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output;
        private readonly string _dir;

        private Linphone(Process process, StringBuilder output, string dir)
        {
            _process = process;
            _output = output;
            _dir = dir;
        }

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

        public static Linphone Start(LoopbackServer server, string user, string password, string transport, string? caFile = null)
        {
            var executable = ExternalTool.Require("linphonec", "linphone-cli");
            var dir = ExternalTool.TempDirectory("linphone");
            var port = ExternalTool.FreePort().ToString(CultureInfo.InvariantCulture);
            var target = transport switch
            {
                "tcp" => server.Tcp,
                "tls" => server.Server.GetEndPoint(SipTransportKind.Tls),
                _ => server.Udp,
            };
            // Without its database directory linphonec never brings its core up (no listening points).
            // For TLS it trusts our certificate as its root CA; the name check is off because linphone 5.1's mbedTLS
            // does not match an IP-address subject alternative name (the chain is still verified).
            Directory.CreateDirectory(Path.Combine(dir, ".local", "share", "linphone"));
            var config = Path.Combine(dir, "linphonerc");
            File.WriteAllText(config, $"""
                [sip]
                sip_port={(transport == "udp" ? port : "0")}
                sip_tcp_port={(transport == "tcp" ? port : "0")}
                sip_tls_port={(transport == "tls" ? port : "0")}
                {(caFile is null ? "" : $"root_ca={caFile}\nverify_server_cn=0")}
                default_proxy=0
                register_only_when_network_is_up=0

                [sound]
                playback_dev_id=
                capture_dev_id=

                [video]
                enabled=0
                capture=0
                display=0

                [proxy_0]
                reg_proxy=<sip:127.0.0.1:{target.Port};transport={transport}>
                reg_identity=sip:{user}@127.0.0.1
                reg_expires=600
                reg_sendregister=1
                publish=0

                [auth_info_0]
                username={user}
                passwd={password}
                realm=127.0.0.1
                domain=127.0.0.1

                """);
            var process = ExternalTool.Start(executable, ["-c", config], dir, redirectInput: true, out var output,
                new Dictionary<string, string> { ["HOME"] = dir });
            return new Linphone(process, output, dir);
        }

        public async Task QuitAsync()
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
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
