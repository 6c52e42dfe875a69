using System.Net;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>Transport protocols the stack listens on.</summary>
public enum SipTransportKind
{
    /// <summary>UDP datagrams.</summary>
    Udp,

    /// <summary>TCP streams framed by Content-Length.</summary>
    Tcp,
}

/// <summary>
/// The path a message arrived on and a response or later request goes back on: the transport, the local
/// listener, the peer's address and, for TCP, the connection. Bindings remember it for qualify pings.
/// </summary>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="Local">The local endpoint the listener is bound to.</param>
/// <param name="Remote">The peer's source address and port.</param>
/// <param name="ConnectionId">The TCP connection id, 0 for UDP.</param>
public sealed record SipFlow(SipTransportKind Transport, IPEndPoint Local, IPEndPoint Remote, long ConnectionId = 0)
{
    /// <summary>True for stream transports (no retransmissions, Timer J = 0).</summary>
    public bool IsReliable => Transport == SipTransportKind.Tcp;

    /// <summary>The transport token for Via headers.</summary>
    public string ViaTransport => Transport == SipTransportKind.Tcp ? "TCP" : "UDP";

    /// <inheritdoc />
    public override string ToString() => $"{ViaTransport}:{Remote}";
}

/// <summary>Sends bytes on a flow. Implemented by the transport layer.</summary>
public interface ISipSender
{
    /// <summary>Sends <paramref name="data"/> to <paramref name="destination"/> over <paramref name="flow"/>'s transport;
    /// returns false if the flow is gone (closed TCP connection).</summary>
    ValueTask<bool> SendAsync(SipFlow flow, IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
