using System.Globalization;
using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Calls.Dialogs;

/// <summary>
/// One side of a call as RFC 3261 §12 defines a dialog: Call-ID, local and remote tag, local and remote URI, the
/// remote target, the route set and both CSeq counters. The B2BUA holds one dialog per leg and builds the
/// in-dialog requests (ACK for 2xx, BYE, re-INVITE, UPDATE) from it.
/// </summary>
/// <remarks>Requests leave on <see cref="Flow"/> to <see cref="Destination"/> — the phone's registered flow or the
/// trunk's address — rather than by resolving the remote target: phones sit behind NAT and carriers are configured,
/// so the Request-URI and Route headers are written as §12.2.1.1 says but the next hop is the known peer.</remarks>
public sealed class SipDialog
{
    private readonly Lock _gate = new();
    private uint _localCSeq;

    private SipDialog(string callId, string localTag, string remoteTag, string localUri, string remoteUri, string remoteTarget,
        IReadOnlyList<string> routeSet, uint localCSeq, uint? remoteCSeq, SipFlow flow, IPEndPoint destination)
    {
        CallId = callId;
        LocalTag = localTag;
        RemoteTag = remoteTag;
        LocalUri = localUri;
        RemoteUri = remoteUri;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        _localCSeq = localCSeq;
        RemoteCSeq = remoteCSeq;
        Flow = flow;
        Destination = destination;
    }

    /// <summary>The Call-ID.</summary>
    public string CallId { get; }

    /// <summary>Our tag.</summary>
    public string LocalTag { get; }

    /// <summary>The peer's tag.</summary>
    public string RemoteTag { get; }

    /// <summary>Our name-addr without tag (From of our requests).</summary>
    public string LocalUri { get; }

    /// <summary>The peer's name-addr without tag (To of our requests).</summary>
    public string RemoteUri { get; }

    /// <summary>The peer's Contact URI: the Request-URI of in-dialog requests; updated by target refreshes.</summary>
    public string RemoteTarget { get; private set; }

    /// <summary>Route headers for in-dialog requests, in the order they are written.</summary>
    public IReadOnlyList<string> RouteSet { get; }

    /// <summary>The highest CSeq received from the peer, or null before any request.</summary>
    public uint? RemoteCSeq { get; private set; }

    /// <summary>The flow in-dialog requests leave on.</summary>
    public SipFlow Flow { get; }

    /// <summary>Where in-dialog requests go.</summary>
    public IPEndPoint Destination { get; }

    /// <summary>The dialog key as a UAS or UAC sees it: Call-ID, local tag, remote tag.</summary>
    public string Key => KeyOf(CallId, LocalTag, RemoteTag);

    /// <summary>Builds the key of a dialog.</summary>
    public static string KeyOf(string callId, string localTag, string remoteTag) => string.Concat(callId, "|", localTag, "|", remoteTag);

    /// <summary>The UAS side (§12.1.1): from the INVITE and the 1xx/2xx we answer with our tag. The route set is the
    /// INVITE's Record-Route in order; the remote target is its Contact.</summary>
    public static SipDialog AsUas(SipRequest invite, string localTag, SipFlow flow, IPEndPoint destination)
    {
        var from = invite.ParseFrom()!;
        var to = invite.GetHeader(SipHeaderNames.To)!;
        return new SipDialog(invite.CallId!, localTag, from.Tag ?? "", to, StripTag(invite.GetHeader(SipHeaderNames.From)!),
            ContactUri(invite) ?? from.Uri.Raw, invite.GetHeaderValues(SipHeaderNames.RecordRoute), (uint)Random.Shared.Next(1, 10_000),
            invite.ParseCSeq()!.Value.Number, flow, destination);
    }

    /// <summary>The UAC side (§12.1.2): from our INVITE and the peer's 2xx. The route set is the response's
    /// Record-Route reversed; the remote target is its Contact.</summary>
    public static SipDialog AsUac(SipRequest invite, SipResponse answer, SipFlow flow, IPEndPoint destination)
    {
        var routes = answer.GetHeaderValues(SipHeaderNames.RecordRoute);
        routes.Reverse();
        var to = answer.ParseTo()!;
        return new SipDialog(invite.CallId!, invite.ParseFrom()!.Tag!, to.Tag ?? "", StripTag(invite.GetHeader(SipHeaderNames.From)!),
            invite.GetHeader(SipHeaderNames.To)!, ContactUri(answer) ?? invite.RequestUri, routes, invite.ParseCSeq()!.Value.Number,
            null, flow, destination);
    }

    /// <summary>Checks a request from the peer against the remote CSeq (§12.2.2): lower than the last one → false (500).
    /// ACK and CANCEL carry the INVITE's number and are not checked.</summary>
    public bool AcceptRemoteCSeq(SipRequest request)
    {
        if (request.Method is SipMethods.Ack or SipMethods.Cancel || request.ParseCSeq() is not { } cseq)
        {
            return true;
        }

        lock (_gate)
        {
            if (RemoteCSeq is { } last && cseq.Number <= last)
            {
                return false;
            }

            RemoteCSeq = cseq.Number;
            return true;
        }
    }

    /// <summary>A target refresh (re-INVITE, UPDATE, or their 2xx) may change the remote target (§12.2).</summary>
    public void RefreshTarget(SipMessage message)
    {
        if (ContactUri(message) is { } contact)
        {
            RemoteTarget = contact;
        }
    }

    /// <summary>A new in-dialog request with the next local CSeq and a fresh branch (§12.2.1.1).</summary>
    public SipRequest CreateRequest(string method, string contact, string viaHost)
    {
        uint cseq;
        lock (_gate)
        {
            cseq = ++_localCSeq;
        }

        return Build(method, cseq, contact, viaHost, "z9hG4bK" + SipResponseFactory.NewTag());
    }

    /// <summary>The ACK for a 2xx: end-to-end, a new branch, the INVITE's CSeq number (§13.2.2.4).</summary>
    public SipRequest CreateAck(uint inviteCSeq, string contact, string viaHost) =>
        Build(SipMethods.Ack, inviteCSeq, contact, viaHost, "z9hG4bK" + SipResponseFactory.NewTag());

    private SipRequest Build(string method, uint cseq, string contact, string viaHost, string branch)
    {
        // Loose routing (§12.2.1.1): with a route set whose first entry has ;lr the Request-URI is the remote target.
        var request = new SipRequest(method, RemoteTarget);
        request.AddHeader(SipHeaderNames.Via, $"SIP/2.0/{Flow.ViaTransport} {viaHost};branch={branch};rport");
        request.AddHeader(SipHeaderNames.MaxForwards, "70");
        foreach (var route in RouteSet)
        {
            request.AddHeader(SipHeaderNames.Route, route);
        }

        request.AddHeader(SipHeaderNames.From, $"{LocalUri};tag={LocalTag}");
        request.AddHeader(SipHeaderNames.To, RemoteTag.Length > 0 ? $"{RemoteUri};tag={RemoteTag}" : RemoteUri);
        request.AddHeader(SipHeaderNames.CallId, CallId);
        request.AddHeader(SipHeaderNames.CSeq, string.Create(CultureInfo.InvariantCulture, $"{cseq} {method}"));
        if (method is not (SipMethods.Bye or SipMethods.Ack))
        {
            request.AddHeader(SipHeaderNames.Contact, contact);
        }

        return request;
    }

    /// <summary>The URI of the first Contact, or null.</summary>
    public static string? ContactUri(SipMessage message) =>
        message.GetHeaderValues(SipHeaderNames.Contact) is [var first, ..] && NameAddress.TryParse(first, out var address)
            ? address!.Uri.Raw
            : null;

    /// <summary>A From/To value without its tag parameter.</summary>
    public static string StripTag(string value)
    {
        var index = value.IndexOf(";tag=", StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return value;
        }

        var end = value.IndexOf(';', index + 5);
        return end < 0 ? value[..index] : value[..index] + value[end..];
    }
}
