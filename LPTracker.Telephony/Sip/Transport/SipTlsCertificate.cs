using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>
/// The certificate <c>tls:</c> listeners present: the configured PKCS#12 file (<c>Sip:Tls:CertificatePath</c>), else a
/// self-signed one generated at first start and kept (<c>Sip:Tls:GeneratedCertificatePath</c>, under the data folder)
/// so phones that were told to trust it keep trusting it after a restart.
/// </summary>
public static class SipTlsCertificate
{
    /// <summary>How long a generated certificate is valid.</summary>
    public static readonly TimeSpan GeneratedLifetime = TimeSpan.FromDays(3650);

    /// <summary>Loads or generates the certificate; throws when a configured file cannot be read (a wrong path or
    /// password must stop the start, not silently fall back to a self-signed certificate).</summary>
    public static X509Certificate2 Load(SipOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tls = options.Tls;
        if (!string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.CertificatePassword);
        }

        if (string.IsNullOrWhiteSpace(tls.GeneratedCertificatePath))
        {
            return Generate(options);
        }

        if (File.Exists(tls.GeneratedCertificatePath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(tls.GeneratedCertificatePath, password: null);
        }

        using var generated = Generate(options);
        var folder = Path.GetDirectoryName(Path.GetFullPath(tls.GeneratedCertificatePath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // The private key is only as safe as the data folder, which also holds the database with every HA1.
        File.WriteAllBytes(tls.GeneratedCertificatePath, generated.Export(X509ContentType.Pkcs12));
        logger.LogWarning("SIP TLS: no Sip:Tls:CertificatePath configured; generated a self-signed certificate for {Host} at {Path} " +
            "(phones must be told to trust it or not to verify the server)", HostName(options), tls.GeneratedCertificatePath);
        return X509CertificateLoader.LoadPkcs12FromFile(tls.GeneratedCertificatePath, password: null);
    }

    /// <summary>A self-signed RSA certificate for the SIP domain (and the public host), valid for server authentication.</summary>
    public static X509Certificate2 Generate(SipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var key = RSA.Create(2048);
        var host = HostName(options);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in new[] { options.Domain, options.PublicHost }.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct())
        {
            if (IPAddress.TryParse(name!.Trim('[', ']'), out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + GeneratedLifetime);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    private static string HostName(SipOptions options) =>
        string.IsNullOrWhiteSpace(options.PublicHost) ? options.Domain : options.PublicHost;
}
