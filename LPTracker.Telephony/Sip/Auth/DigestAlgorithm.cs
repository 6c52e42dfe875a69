namespace LPTracker.Telephony.Sip.Auth;

/// <summary>Digest hash algorithms offered to SIP clients (RFC 7616 §3.2, RFC 8760).</summary>
public enum DigestAlgorithm
{
    /// <summary>MD5: weak, but the only algorithm many deployed phones implement.</summary>
    Md5,

    /// <summary>SHA-256.</summary>
    Sha256,
}

/// <summary>Names of the algorithms as written in challenges and credentials.</summary>
public static class DigestAlgorithmNames
{
    /// <summary>The token for an algorithm.</summary>
    public static string ToToken(this DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? "SHA-256" : "MD5";

    /// <summary>Parses an <c>algorithm</c> token (case-insensitive); -sess variants are not supported.</summary>
    public static bool TryParse(ReadOnlySpan<char> token, out DigestAlgorithm algorithm)
    {
        token = token.Trim();
        if (token.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Md5;
            return true;
        }

        if (token.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }

        algorithm = default;
        return false;
    }

    /// <summary>Parses the <c>Sip:DigestAlgorithms</c> setting, e.g. <c>"SHA-256,MD5"</c>, keeping its order.</summary>
    public static IReadOnlyList<DigestAlgorithm> ParseList(string? setting)
    {
        var result = new List<DigestAlgorithm>();
        foreach (var part in (setting ?? "MD5").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParse(part, out var algorithm))
            {
                throw new FormatException($"Unknown digest algorithm '{part}' in Sip:DigestAlgorithms (use MD5 and/or SHA-256).");
            }

            if (!result.Contains(algorithm))
            {
                result.Add(algorithm);
            }
        }

        return result.Count == 0 ? [DigestAlgorithm.Md5] : result;
    }
}
