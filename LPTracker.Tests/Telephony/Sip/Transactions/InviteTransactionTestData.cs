using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>Requests and flows shared by the INVITE transaction tests.</summary>
internal static class InviteTransactionTestData
{
    public static readonly IPEndPoint Peer = new(IPAddress.Loopback, 5099);
    public static readonly SipTimers Timers = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    public static SipFlow Udp => new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060), Peer);

    public static SipFlow Tcp => new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060), Peer, 7);

    public static SipRequest Invite(string branch = "z9hG4bKinv1", string method = SipMethods.Invite, string cseqMethod = SipMethods.Invite)
    {
        var request = new SipRequest(method, "sip:+78123893201@127.0.0.1");
        request.AddHeader(SipHeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5099;branch={branch}");
        request.AddHeader(SipHeaderNames.MaxForwards, "70");
        request.AddHeader(SipHeaderNames.From, "<sip:+79001234567@127.0.0.1>;tag=caller");
        request.AddHeader(SipHeaderNames.To, "<sip:+78123893201@127.0.0.1>");
        request.AddHeader(SipHeaderNames.CallId, "call-1");
        request.AddHeader(SipHeaderNames.CSeq, $"1 {cseqMethod}");
        return request;
    }

    public static SipResponse Response(SipRequest request, int status) =>
        SipResponseFactory.Create(request, status, status switch { 180 => "Ringing", 200 => "OK", 486 => "Busy Here", _ => "Other" });
}
