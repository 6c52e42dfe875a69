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
        using var linphone = LinphonePhone.StartWithAccount(transport == "tcp" ? server.Tcp : server.Udp, "bob", "pa55word", transport);

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

        using var linphone = LinphonePhone.StartWithAccount(server.Server.GetEndPoint(SipTransportKind.Tls), "bob", "pa55word", "tls", ca);

        var online = await WaitAsync(server, linphone, online: true);
        var binding = Assert.Single(server.Server.Locations.GetBindings("bob"));
        await linphone.QuitAsync();
        await WaitAsync(server, linphone, online: false);

        Assert.Contains("Linphone", online.UserAgent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SipTransportKind.Tls, binding.Transport);
    }

    private static async Task<LPTracker.Telephony.Registrar.SipPresence> WaitAsync(LoopbackServer server, LinphonePhone linphone, bool online)
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
}
