using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>
/// A UDP socket with a fixed number of receive loops; each loop processes its datagram before receiving the next,
/// which bounds concurrency. Socket errors (ICMP port unreachable surfaces as a SocketException on receive) are
/// logged and the loop goes on.
/// </summary>
internal sealed class UdpSipListener : IAsyncDisposable
{
    private const int ReceiveBufferSize = 65_536;
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly int _maxMessageSize;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public UdpSipListener(IPEndPoint endPoint, int maxMessageSize, ILogger logger)
    {
        _logger = logger;
        _maxMessageSize = maxMessageSize;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Separate IPv4 and IPv6 listeners may share a port; don't let [::] swallow IPv4.
            _socket.DualMode = false;
        }

        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(endPoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start(int concurrency, Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage)
    {
        for (var i = 0; i < concurrency; i++)
        {
            _loops.Add(Task.Run(() => ReceiveLoopAsync(onMessage)));
        }
    }

    public async ValueTask SendAsync(IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(data, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            _logger.LogDebug("UDP send to {Destination} failed: {Error}", destination, ex.SocketErrorCode);
        }
    }

    private async Task ReceiveLoopAsync(Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
        var address = new SocketAddress(_socket.AddressFamily);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // ConnectionReset/PortUnreachable after sending to a closed port, MessageSize, ...: keep receiving.
                _logger.LogDebug("UDP receive error {Error} on {Local}", ex.SocketErrorCode, LocalEndPoint);
                continue;
            }

            if (received == 0 || received > _maxMessageSize)
            {
                continue;
            }

            try
            {
                var remote = (IPEndPoint)LocalEndPoint.Create(address);
                var flow = new SipFlow(SipTransportKind.Udp, LocalEndPoint, remote);
                await onMessage(buffer.AsMemory(0, received), flow, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Processing a UDP datagram failed");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }
}
