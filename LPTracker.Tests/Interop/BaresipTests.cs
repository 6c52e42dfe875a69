using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Telephony.Sip.Transport;
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
        using var baresip = BaresipPhone.Start(transport == "tcp" ? server.Tcp : server.Udp, "alice", "s3cret", transport);

        var online = await WaitOrFailAsync(server, baresip, true);
        await baresip.QuitAsync();
        var offline = await WaitOrFailAsync(server, baresip, false);

        Assert.StartsWith("baresip", online.UserAgent, StringComparison.OrdinalIgnoreCase);
        Assert.False(offline.Online);
        Assert.Empty(server.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task Baresip_registers_over_tls_trusting_our_self_signed_certificate_and_unregisters_when_stopped()
    {
        using var folder = new TempFolder();
        await using var server = await TlsTransportTests.StartTlsServerAsync(folder, o => o.DigestAlgorithms = "MD5");
        server.AddUser("alice", "s3cret");
        var ca = Path.Combine(folder.Path, "ca.pem");
        using (var certificate = TlsTransportTests.Certificate(folder))
        {
            await File.WriteAllTextAsync(ca, certificate.ExportCertificatePem());
        }

        using var baresip = BaresipPhone.Start(server.Server.GetEndPoint(SipTransportKind.Tls), "alice", "s3cret", "tls", caFile: ca);

        var online = await WaitOrFailAsync(server, baresip, true);
        var binding = Assert.Single(server.Server.Locations.GetBindings("alice"));
        await baresip.QuitAsync();
        await WaitOrFailAsync(server, baresip, false);

        Assert.StartsWith("baresip", online.UserAgent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SipTransportKind.Tls, binding.Transport);
        Assert.Empty(server.Server.Locations.GetBindings("alice"));
    }

    [Theory]
    [InlineData("SHA-256")]
    [InlineData("SHA-256,MD5")]
    public async Task Baresip_fails_to_register_when_sha256_is_offered(string algorithms)
    {
        await using var server = await LoopbackServer.StartAsync(o => o.DigestAlgorithms = algorithms);
        server.AddUser("alice", "s3cret");
        using var baresip = BaresipPhone.Start(server.Udp, "alice", "s3cret", "udp");

        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Null(server.Server.Presence.GetPresence("alice"));
        Assert.Empty(server.Server.Locations.GetBindings("alice"));
        Assert.False(baresip.HasExited, "baresip should still be running (and failing to register):\n" + baresip.Output);
        Assert.Contains("401", baresip.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baresip_dials_out_and_the_carrier_sees_the_employees_displayed_number()
    {
        const string displayed = "+78123893205";
        var directory = new InMemoryCallDirectory();
        directory.AddNumber("+78123893201", LPTracker.Core.Projects.RingMode.Simultaneous, 30, InMemoryCallDirectory.Sip(1, "alice"));
        directory.DisplayedNumbers[1] = displayed;
        await using var rig = await SippCallRig.StartAsync(directory, o => o.DigestAlgorithms = "MD5");
        rig.Server.AddUser("alice", "s3cret", employeeId: 1, accountId: 1);
        await rig.StartCarrierUasAsync("phone-answer-hangup.xml");
        using var baresip = BaresipPhone.Start(rig.Server.Udp, "alice", "s3cret", commands: ["/dial +79001234567"]);

        var (carrier, output) = await rig.WaitForPhoneAsync("carrier");

        Assert.True(carrier == 0, output + "\n--- baresip ---\n" + baresip.Output);
        var invite = rig.InviteSeenBy("carrier");
        Assert.StartsWith("INVITE sip:+79001234567@", invite, StringComparison.Ordinal);
        Assert.Contains($"From: <sip:{displayed}@", invite, StringComparison.Ordinal);
        // The SDP (passed byte for byte) names the phone in its cname; the headers must not.
        Assert.DoesNotContain("alice", invite[..invite.IndexOf("v=0", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    private static async Task<LPTracker.Telephony.Registrar.SipPresence> WaitOrFailAsync(LoopbackServer server, BaresipPhone baresip, bool online)
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
}
