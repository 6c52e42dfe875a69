using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>Answers a carrier's digest challenge (RFC 7616, RFC 3261 §22) for our calls out through a trunk.</summary>
public static class DigestClient
{
    /// <summary>The <c>Authorization</c>/<c>Proxy-Authorization</c> value for a challenge, or null when the challenge
    /// is not a digest one we can answer (unknown algorithm, qop other than auth).</summary>
    public static string? Answer(string challenge, string user, string password, string method, string uri)
    {
        if (!DigestCredentials.TryParse(challenge, out var c) || c!.Realm is not { } realm || c.Nonce is not { } nonce
            || !DigestAlgorithmNames.TryParse(c.Algorithm ?? "MD5", out var algorithm))
        {
            return null;
        }

        var qopOffered = c.Qop;
        var useQop = qopOffered is not null;
        if (useQop && !qopOffered!.Split(',').Any(q => q.Trim().Equals("auth", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var ha1 = DigestHash.ComputeHa1(algorithm, user, realm, password);
        var ha2 = Hash(algorithm, $"{method}:{uri}");
        var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        const string nc = "00000001";
        var response = useQop ? Hash(algorithm, $"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}") : Hash(algorithm, $"{ha1}:{nonce}:{ha2}");
        var sb = new StringBuilder(256);
        sb.Append(CultureInfo.InvariantCulture, $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", ")
            .Append(CultureInfo.InvariantCulture, $"response=\"{response}\", algorithm={algorithm.ToToken()}");
        if (useQop)
        {
            sb.Append(CultureInfo.InvariantCulture, $", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
        }

        if (c.Opaque is { } opaque)
        {
            sb.Append(CultureInfo.InvariantCulture, $", opaque=\"{opaque}\"");
        }

        return sb.ToString();
    }

    private static string Hash(DigestAlgorithm algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5351 // MD5 is what RFC 3261 digest carriers still offer
        return Convert.ToHexStringLower(algorithm == DigestAlgorithm.Sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes));
#pragma warning restore CA5351
    }
}
