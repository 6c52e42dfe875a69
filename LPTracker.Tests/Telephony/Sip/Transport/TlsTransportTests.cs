using System.Security.Cryptography.X509Certificates;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Telephony.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LPTracker.Tests.Telephony.Sip.Transport;

/// <summary>SIP over TLS (RFC 3261 §26.2): the handshake, then the TCP framing; the certificate from config or generated.</summary>
public sealed class TlsTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_phone_registers_over_tls_and_its_binding_is_a_tls_flow()
    {
        using var folder = new TempFolder();
        await using var server = await StartTlsServerAsync(folder);
        server.AddUser("alice", "secret");
        using var client = await TcpTestClient.ConnectTlsAsync(server.Server.GetEndPoint(SipTransportKind.Tls), Certificate(folder));

        var ok = await client.RegisterAsync("alice", "secret", "127.0.0.1");

        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("SIP/2.0/TLS", ok.GetHeader(SipHeaderNames.Via), StringComparison.Ordinal);
        var binding = Assert.Single(server.Server.Locations.GetBindings("alice"));
        Assert.Equal(SipTransportKind.Tls, binding.Transport);
        Assert.StartsWith("sips:", binding.ContactUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Qualify_pings_a_tls_phone_over_its_connection()
    {
        using var folder = new TempFolder();
        await using var server = await StartTlsServerAsync(folder, o => o.QualifyInterval = TimeSpan.FromMilliseconds(300));
        server.AddUser("alice", "secret");
        using var client = await TcpTestClient.ConnectTlsAsync(server.Server.GetEndPoint(SipTransportKind.Tls), Certificate(folder));
        await client.RegisterAsync("alice", "secret", "127.0.0.1");

        var ping = await client.ReceiveRequestAsync(Timeout);

        Assert.NotNull(ping);
        Assert.Equal(SipMethods.Options, ping!.Method);
        Assert.Contains("SIP/2.0/TLS", ping.GetHeader(SipHeaderNames.Via), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_refuses_the_certificate_gets_nothing_and_the_listener_keeps_serving()
    {
        using var folder = new TempFolder();
        await using var server = await StartTlsServerAsync(folder);
        server.AddUser("alice", "secret");
        using var other = SipTlsCertificate.Generate(new SipOptions { Domain = "127.0.0.1" });

        await Assert.ThrowsAnyAsync<System.Security.Authentication.AuthenticationException>(
            () => TcpTestClient.ConnectTlsAsync(server.Server.GetEndPoint(SipTransportKind.Tls), other));
        using var client = await TcpTestClient.ConnectTlsAsync(server.Server.GetEndPoint(SipTransportKind.Tls), Certificate(folder));
        var ok = await client.RegisterAsync("alice", "secret", "127.0.0.1");

        Assert.Equal(200, ok.StatusCode);
    }

    [Fact]
    public void The_generated_certificate_is_kept_and_reused_after_a_restart()
    {
        using var folder = new TempFolder();
        var options = TlsOptions(folder);

        using var first = SipTlsCertificate.Load(options, NullLogger.Instance);
        using var second = SipTlsCertificate.Load(options, NullLogger.Instance);

        Assert.True(File.Exists(options.Tls.GeneratedCertificatePath));
        Assert.Equal(first.Thumbprint, second.Thumbprint);
        Assert.True(second.HasPrivateKey);
        Assert.Contains("127.0.0.1", first.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_certificate_file_is_used_instead_of_a_generated_one()
    {
        using var folder = new TempFolder();
        using var own = SipTlsCertificate.Generate(new SipOptions { Domain = "sip.example.com" });
        var path = Path.Combine(folder.Path, "own.pfx");
        File.WriteAllBytes(path, own.Export(X509ContentType.Pkcs12, "pw"));
        var options = TlsOptions(folder);
        options.Tls.CertificatePath = path;
        options.Tls.CertificatePassword = "pw";

        using var loaded = SipTlsCertificate.Load(options, NullLogger.Instance);

        Assert.Equal(own.Thumbprint, loaded.Thumbprint);
        Assert.False(File.Exists(options.Tls.GeneratedCertificatePath));
    }

    internal static SipOptions TlsOptions(TempFolder folder) => new()
    {
        Domain = "127.0.0.1",
        Tls = new LPTracker.Core.Telephony.SipTlsOptions { GeneratedCertificatePath = Path.Combine(folder.Path, "App_Data", "sip-tls.pfx") },
    };

    /// <summary>A loopback server with UDP, TCP and TLS on free ports; its generated certificate kept in <paramref name="folder"/>.</summary>
    internal static Task<LoopbackServer> StartTlsServerAsync(TempFolder folder, Action<SipOptions>? configure = null) =>
        LoopbackServer.StartAsync(o =>
        {
            o.Listen = [.. o.Listen, "tls:127.0.0.1:0"];
            o.Tls = TlsOptions(folder).Tls;
            configure?.Invoke(o);
        });

    /// <summary>The server's certificate as kept on disk (what a phone is given to trust).</summary>
    internal static X509Certificate2 Certificate(TempFolder folder) =>
        X509CertificateLoader.LoadPkcs12FromFile(TlsOptions(folder).Tls.GeneratedCertificatePath!, password: null);
}
