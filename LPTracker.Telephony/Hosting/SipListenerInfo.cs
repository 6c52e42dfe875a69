using LPTracker.Core.Telephony;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Hosting;

/// <summary>The console's view of the ports the SIP server really bound (port 0 in <c>Sip:Listen</c> picks any).</summary>
internal sealed class SipListenerInfo(SipServer server) : ISipListenerInfo
{
    public int? UdpPort =>
        server.BoundEndpoints.FirstOrDefault(b => b.Transport == SipTransportKind.Udp)?.EndPoint.Port
        ?? server.ListenEndpoints.FirstOrDefault(e => e.Transport == SipTransportKind.Udp && e.EndPoint.Port != 0)?.EndPoint.Port;
}
