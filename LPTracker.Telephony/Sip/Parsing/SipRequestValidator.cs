using System.Globalization;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// The checks a UAS makes before acting on a request (RFC 3261 §8.2, RFC 4475 §3.1.2 and §3.3): mandatory headers
/// present once, CSeq consistent, Request-URI scheme supported, Require understood.
/// </summary>
public static class SipRequestValidator
{
    /// <summary>Returns the error to answer with, or null when the request may be processed.</summary>
    /// <param name="request">The parsed request.</param>
    /// <param name="supportedExtensions">Option tags we support (for Require).</param>
    /// <param name="unsupported">For 420: the option tags to list in Unsupported.</param>
    public static SipError? Validate(SipRequest request, IReadOnlyCollection<string> supportedExtensions, out string? unsupported)
    {
        unsupported = null;
        if (request.ParseError is { } parseError)
        {
            return parseError;
        }

        if (request.Vias is not { Count: > 0 })
        {
            return new SipError(400, "Bad Via");
        }

        var counts = CountSingletons(request, out var requireLines);
        for (var i = 0; i < _singletons.Length; i++)
        {
            var count = counts[i];
            if (count > 1 || (count == 0 && i != MaxForwardsIndex))
            {
                var name = _singletons[i];
                return new SipError(400, count == 0 ? $"Missing {name}" : $"Multiple {name}");
            }
        }

        if (request.ParseCSeq() is not { } cseq)
        {
            return new SipError(400, "Bad CSeq");
        }

        if (!string.Equals(cseq.Method, request.Method, StringComparison.Ordinal) && request.Method != SipMethods.Ack
            && request.Method != SipMethods.Cancel)
        {
            return new SipError(400, "CSeq Method Mismatch");
        }

        if (request.GetHeader(SipHeaderNames.MaxForwards) is { } mf && !IsMaxForwards(mf))
        {
            return new SipError(400, "Bad Max-Forwards");
        }

        if (request.ParseFrom() is null)
        {
            return new SipError(400, "Bad From");
        }

        if (request.ParseTo() is null)
        {
            return new SipError(400, "Bad To");
        }

        if (request.ParsedRequestUri is not { } uri)
        {
            return new SipError(400, "Bad Request-URI");
        }

        if (!uri.IsSip)
        {
            return new SipError(416, "Unsupported URI Scheme");
        }

        // Require is ignored in ACK and CANCEL (RFC 3261 §8.2.2.3).
        if (request.Method is not (SipMethods.Ack or SipMethods.Cancel) && requireLines > 0)
        {
            var missing = request.GetHeaderValues(SipHeaderNames.Require)
                .Where(tag => !supportedExtensions.Contains(tag, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                unsupported = string.Join(", ", missing);
                return new SipError(420, "Bad Extension");
            }
        }

        return null;
    }

    /// <summary>The headers a request carries exactly once (Max-Forwards at most once), in the order they are
    /// checked and named in the 400.</summary>
    private static readonly string[] _singletons =
    [
        SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq, SipHeaderNames.MaxForwards,
    ];

    // Positions in _singletons (and in SingletonCounts).
    private const int FromIndex = 0, ToIndex = 1, CallIdIndex = 2, CSeqIndex = 3, MaxForwardsIndex = 4;

    /// <summary>
    /// How many lines carry each of <see cref="_singletons"/>, and Require, in one pass over the headers: one
    /// <see cref="SipMessage.CountHeader"/> scan per name compared every line with six names; by length, a line is
    /// compared with at most two.
    /// </summary>
    private static SingletonCounts CountSingletons(SipRequest request, out int requireLines)
    {
        var counts = default(SingletonCounts);
        requireLines = 0;
        foreach (var header in request.Headers)
        {
            var name = header.Name;
            switch (name.Length)
            {
                case 2 when SipHeaderNames.Same(name, SipHeaderNames.To): counts[ToIndex]++; break;
                case 4 when SipHeaderNames.Same(name, SipHeaderNames.From): counts[FromIndex]++; break;
                case 4 when SipHeaderNames.Same(name, SipHeaderNames.CSeq): counts[CSeqIndex]++; break;
                case 7 when SipHeaderNames.Same(name, SipHeaderNames.CallId): counts[CallIdIndex]++; break;
                case 7 when SipHeaderNames.Same(name, SipHeaderNames.Require): requireLines++; break;
                case 12 when SipHeaderNames.Same(name, SipHeaderNames.MaxForwards): counts[MaxForwardsIndex]++; break;
            }
        }

        return counts;
    }

    [System.Runtime.CompilerServices.InlineArray(5)]
    private struct SingletonCounts
    {
        private int _count;
    }

    private static bool IsMaxForwards(string value) =>
        value.Length <= 10 && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 255;
}
