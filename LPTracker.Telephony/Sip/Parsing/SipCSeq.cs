using System.Globalization;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>The CSeq header: a sequence number below 2^31 and a method (RFC 3261 §8.1.1.5, §20.16).</summary>
/// <param name="Number">The sequence number.</param>
/// <param name="Method">The method, case-sensitive.</param>
public readonly record struct SipCSeq(uint Number, string Method)
{
    /// <summary>Parses <c>1*DIGIT LWS Method</c>; rejects numbers of 2^31 and above.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, string? requestMethod, out SipCSeq cseq)
    {
        cseq = default;
        value = value.Trim(" \t");
        var ws = value.IndexOfAny(' ', '\t');
        if (ws <= 0)
        {
            return false;
        }

        var digits = value[..ws];
        var method = value[ws..].TrimStart(" \t");
        if (digits.Length > 10 || !uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n > int.MaxValue || !SipGrammar.IsToken(method))
        {
            return false;
        }

        // Reuse the request's method string instead of allocating another copy when they match.
        var m = requestMethod is not null && method.SequenceEqual(requestMethod) ? requestMethod : new string(method);
        cseq = new SipCSeq(n, m);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Number} {Method}");
}
