using System.Text.RegularExpressions;
using LPTracker.Telephony.Sip.Auth;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>Answers a WWW-Authenticate challenge the way a phone does (RFC 7616, qop=auth).</summary>
internal static partial class DigestTestClient
{
    public static string Authorization(string challenge, string user, string password, string method, string uri,
        int nc = 1, string cnonce = "0a4f113b", string? realmOverride = null, string? uriOverride = null, string? userOverride = null)
    {
        var realm = Param(challenge, "realm")!;
        var nonce = Param(challenge, "nonce")!;
        var algorithmToken = Param(challenge, "algorithm") ?? "MD5";
        Assert.True(DigestAlgorithmNames.TryParse(algorithmToken, out var algorithm), "unknown algorithm " + algorithmToken);
        var ha1 = DigestHash.ComputeHa1(algorithm, user, realm, password);
        var ncText = nc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var response = ExpectedResponse(algorithm, ha1, method, uri, nonce, ncText, cnonce);
        return $"Digest username=\"{userOverride ?? user}\", realm=\"{realmOverride ?? realm}\", nonce=\"{nonce}\", uri=\"{uriOverride ?? uri}\", " +
               $"response=\"{response}\", algorithm={algorithmToken}, cnonce=\"{cnonce}\", qop=auth, nc={ncText}";
    }

    /// <summary>Computes a response independently of the production code path, with a plain string concatenation.</summary>
    public static string ExpectedResponse(DigestAlgorithm algorithm, string ha1, string method, string uri, string nonce, string nc, string cnonce)
    {
        string H(string s)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(s);
#pragma warning disable CA5351 // digest MD5 is what is being tested
            var hash = algorithm == DigestAlgorithm.Sha256 ? System.Security.Cryptography.SHA256.HashData(bytes) : System.Security.Cryptography.MD5.HashData(bytes);
#pragma warning restore CA5351
            return Convert.ToHexStringLower(hash);
        }

        return H($"{ha1}:{nonce}:{nc}:{cnonce}:auth:{H($"{method}:{uri}")}");
    }

    public static string? Param(string challenge, string name)
    {
        var m = Regex.Match(challenge, name + "=(?:\"([^\"]*)\"|([^,\\s]+))", RegexOptions.IgnoreCase);
        return m.Success ? (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) : null;
    }
}
