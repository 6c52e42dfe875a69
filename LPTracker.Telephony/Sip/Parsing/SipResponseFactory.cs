using System.Globalization;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Builds responses that copy Via, From, To, Call-ID and CSeq from the request (RFC 3261 §8.2.6).</summary>
public static class SipResponseFactory
{
    /// <summary>Creates a response; a To tag is added for non-100 responses when the request had none.</summary>
    public static SipResponse Create(SipRequest request, int status, string reason)
    {
        var response = new SipResponse(status, reason);
        if (request.Vias is { Count: > 0 } vias)
        {
            // The top Via carries received/rport stamped on receipt; the rest are copied.
            foreach (var via in vias)
            {
                response.AddHeader(SipHeaderNames.Via, via.ToString());
            }
        }
        else
        {
            CopyAll(request, response, SipHeaderNames.Via);
        }

        CopyFirst(request, response, SipHeaderNames.From);
        if (request.GetHeader(SipHeaderNames.To) is { } to)
        {
            var needsTag = status > 100 && !HasTag(request, to);
            response.AddHeader(SipHeaderNames.To, needsTag ? $"{to};tag={NewTag()}" : to);
        }

        CopyFirst(request, response, SipHeaderNames.CallId);
        CopyFirst(request, response, SipHeaderNames.CSeq);
        return response;
    }

    /// <summary>A random tag / branch suffix.</summary>
    public static string NewTag() => Random.Shared.NextInt64().ToString("x", CultureInfo.InvariantCulture);

    /// <summary>An RFC 3261 branch: the magic cookie followed by randomness.</summary>
    public static string NewBranch() => "z9hG4bK" + NewTag();

    private static bool HasTag(SipRequest request, string to) =>
        request.ParseTo() is { } address ? address.Tag is not null : to.Contains(";tag=", StringComparison.OrdinalIgnoreCase);

    private static void CopyFirst(SipRequest request, SipResponse response, string name)
    {
        if (request.GetHeader(name) is { } value)
        {
            response.AddHeader(name, value);
        }
    }

    private static void CopyAll(SipRequest request, SipResponse response, string name)
    {
        foreach (var h in request.Headers)
        {
            if (h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                response.AddHeader(name, h.Value);
            }
        }
    }
}
