using System.Net;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>Transport protocols the stack listens on.</summary>
public enum SipTransportKind
{
    /// <summary>UDP datagrams.</summary>
    Udp,

    /// <summary>TCP streams framed by Content-Length.</summary>
    Tcp,

    /// <summary>TLS over TCP (RFC 3261 §26.2), framed like TCP.</summary>
    Tls,
}

/// <summary>Names of transports as configuration and Via headers spell them.</summary>
public static class SipTransportNames
{
    /// <summary>The lower-case name used in <c>Sip:Listen</c> and stored bindings: udp, tcp, tls.</summary>
    public static string ToConfigName(this SipTransportKind transport) => transport switch
    {
        SipTransportKind.Tcp => "tcp",
        SipTransportKind.Tls => "tls",
        _ => "udp",
    };

    /// <summary>The Via transport token (RFC 3261 §20.42): UDP, TCP, TLS.</summary>
    public static string ToViaName(this SipTransportKind transport) => transport switch
    {
        SipTransportKind.Tcp => "TCP",
        SipTransportKind.Tls => "TLS",
        _ => "UDP",
    };

    /// <summary>Reads a configuration/stored name; null when unknown.</summary>
    public static SipTransportKind? FromConfigName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "udp" => SipTransportKind.Udp,
        "tcp" => SipTransportKind.Tcp,
        "tls" => SipTransportKind.Tls,
        _ => null,
    };
}

/// <summary>
/// The path a message arrived on and a response or later request goes back on: the transport, the local
/// listener, the peer's address and, for TCP, the connection. Bindings remember it for qualify pings.
/// </summary>
/// <param name="Transport">UDP, TCP or TLS.</param>
/// <param name="Local">The local endpoint the listener is bound to.</param>
/// <param name="Remote">The peer's source address and port.</param>
/// <param name="ConnectionId">The TCP/TLS connection id, 0 for UDP.</param>
public sealed record SipFlow(SipTransportKind Transport, IPEndPoint Local, IPEndPoint Remote, long ConnectionId = 0)
{
    /// <summary>True for stream transports (no retransmissions, Timer J = 0).</summary>
    public bool IsReliable => Transport != SipTransportKind.Udp;

    /// <summary>The transport token for Via headers.</summary>
    public string ViaTransport => Transport.ToViaName();

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
