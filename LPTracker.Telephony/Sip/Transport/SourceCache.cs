using System.Net;
using System.Net.Sockets;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>
/// One receive thread's source address buffer and the <see cref="SipFlow"/> of the last source seen. Phones, and
/// load generators even more, send many datagrams from the same address and port; reusing the flow saves building
/// an IPAddress, an IPEndPoint and a flow per datagram. Not thread-safe: one per receive thread.
/// </summary>
internal sealed class SourceCache
{
    private readonly IPEndPoint _local;
    private readonly byte[] _lastAddress;
    private int _lastLength;
    private SipFlow? _last;

    public SourceCache(AddressFamily family, IPEndPoint local)
    {
        _local = local;
        Address = new SocketAddress(family);
        _lastAddress = new byte[Address.Size];
    }

    /// <summary>The buffer the socket writes the source address into.</summary>
    public SocketAddress Address { get; }

    /// <summary>The flow for the address currently in <see cref="Address"/>.</summary>
    public SipFlow Flow()
    {
        var current = Address.Buffer.Span[..Address.Size];
        if (_last is not null && current.SequenceEqual(_lastAddress.AsSpan(0, _lastLength)))
        {
            return _last;
        }

        var remote = (IPEndPoint)_local.Create(Address);
        _last = new SipFlow(SipTransportKind.Udp, _local, remote);
        _lastLength = current.Length;
        current.CopyTo(_lastAddress);
        return _last;
    }
}
