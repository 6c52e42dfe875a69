using System.Globalization;
using LPTracker.Telephony.Sip.Transactions;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Builds responses that copy Via, From, To, Call-ID and CSeq from the request (RFC 3261 §8.2.6).</summary>
public static class SipResponseFactory
{
    /// <summary>Creates a response; a To tag is added for non-100 responses when the request had none.</summary>
    public static SipResponse Create(SipRequest request, int status, string reason) => Build(request, status, reason, repeatable: false);

    /// <summary>
    /// Like <see cref="Create(SipRequest, int, string)"/>, for a response that is built again for a retransmission of
    /// <paramref name="request"/> instead of being kept (decision 0075): a To tag it adds is derived from the request's
    /// transaction key, so every copy gets the same one, and the response records the request's identity for the server
    /// transaction to check a retransmission against.
    /// </summary>
    internal static SipResponse CreateRepeatable(SipRequest request, int status, string reason) => Build(request, status, reason, repeatable: true);

    private static SipResponse Build(SipRequest request, int status, string reason, bool repeatable)
    {
        var response = new SipResponse(status, reason);
        // Without a top Via there is no transaction (and no key): nothing would build the response again.
        repeatable &= request.TopVia is not null;
        var needsTag = status > 100 && request.GetHeader(SipHeaderNames.To) is { } to && !HasTag(request, to);
        AddEcho(request, response, needsTag ? (repeatable ? ServerTransactionKey.ToTag(request) : NewTag()) : null);
        if (repeatable)
        {
            response.RequestIdentity = ServerTransactionKey.Identity(request);
        }

        return response;
    }

    /// <summary>
    /// The headers <see cref="Create"/> copied into a response to <paramref name="request"/>, with the To tag it added
    /// then (null: none): a server transaction rebuilds its stored response from a retransmission with this.
    /// </summary>
    internal static SipResponse Echo(SipRequest request, string? toTag)
    {
        var echo = new SipResponse(0, "");
        AddEcho(request, echo, toTag);
        return echo;
    }

    private static void AddEcho(SipRequest request, SipResponse response, string? toTag)
    {
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
            var value = toTag is null ? to : $"{to};tag={toTag}";
            response.EchoedToIndex = response.Headers.Count;
            response.EchoedTo = value;
            response.AddHeader(SipHeaderNames.To, value);
        }

        CopyFirst(request, response, SipHeaderNames.CallId);
        CopyFirst(request, response, SipHeaderNames.CSeq);
        response.EchoedHeaders = response.Headers.Count;
        response.AddedToTag = toTag;
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
            if (SipHeaderNames.Same(h.Name, name))
            {
                response.AddHeader(name, h.Value);
            }
        }
    }
}
