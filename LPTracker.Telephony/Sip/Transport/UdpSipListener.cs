using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>
/// A UDP socket served by a few dedicated threads, each blocking in <c>recvfrom</c> and processing its datagram
/// inline. For a registrar whose work is microseconds of CPU, the async socket engine's epoll thread, thread-pool
/// hand-off and spinning workers cost more than the work itself (measured, see bench/README.md); a blocked
/// receiver is woken by the kernel directly. Processing that does go asynchronous (a directory cache miss) is
/// handed off with the buffer so the thread keeps receiving, up to a bound, beyond which the thread waits for it.
/// Socket errors (ICMP port unreachable surfaces as a SocketException on receive) are logged and receiving goes on.
/// </summary>
internal sealed class UdpSipListener : IAsyncDisposable
{
    private const int ReceiveBufferSize = 65_536;

    // A blocked receive wakes up this often to notice a stop even where closing the socket does not interrupt it.
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(500);
    [ThreadStatic]
    private static (IPEndPoint EndPoint, SocketAddress Address)? _lastDestination;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly int _maxMessageSize;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private readonly List<Task> _handedOff = [];
    private int _asyncLimit;
    private int _pendingAsync;

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
        _socket.ReceiveTimeout = (int)StopCheckInterval.TotalMilliseconds;
        _socket.Bind(endPoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Starts <paramref name="concurrency"/> receive threads; as many datagrams again may be waiting on I/O at once.
    /// </summary>
    public void Start(int concurrency, Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage)
    {
        var threads = Math.Max(1, concurrency);
        _asyncLimit = threads;
        for (var i = 0; i < threads; i++)
        {
            var thread = new Thread(() => ReceiveLoop(onMessage))
            {
                IsBackground = true,
                Name = $"SIP UDP {LocalEndPoint} #{i}",
            };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>Sends a datagram. UDP sends do not wait for the peer, so this completes synchronously.</summary>
    public void Send(IPEndPoint destination, ReadOnlySpan<byte> data)
    {
        try
        {
            if (destination.AddressFamily == _socket.AddressFamily)
            {
                _socket.SendTo(data, SocketFlags.None, SocketAddressOf(destination));
            }
            else
            {
                _socket.SendTo(data, SocketFlags.None, destination);
            }
        }
        catch (SocketException ex)
        {
            _logger.LogDebug("UDP send to {Destination} failed: {Error}", destination, ex.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            // Stopping: the response is lost like any UDP datagram; the client retransmits elsewhere.
        }
    }

    /// <summary>
    /// The destination as the socket takes it, kept per thread for the last destination: <c>SendTo(…, EndPoint)</c>
    /// serialises a new <see cref="SocketAddress"/> for every datagram (72 bytes per send, measured), while a
    /// receive thread answers the same source (the flow's endpoint, one object per source) again and again.
    /// </summary>
    private static SocketAddress SocketAddressOf(IPEndPoint destination)
    {
        var cache = _lastDestination;
        if (cache is not null && (ReferenceEquals(cache.Value.EndPoint, destination) || cache.Value.EndPoint.Equals(destination)))
        {
            return cache.Value.Address;
        }

        var address = destination.Serialize();
        _lastDestination = (destination, address);
        return address;
    }

    private void ReceiveLoop(Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        var sources = new SourceCache(_socket.AddressFamily, LocalEndPoint);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, sources.Address);
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // TimedOut is the stop check; ConnectionReset/PortUnreachable after sending to a closed port,
                // MessageSize, ...: keep receiving.
                if (ex.SocketErrorCode is not (SocketError.TimedOut or SocketError.WouldBlock) && !token.IsCancellationRequested)
                {
                    _logger.LogDebug("UDP receive error {Error} on {Local}", ex.SocketErrorCode, LocalEndPoint);
                }

                continue;
            }

            if (received == 0 || received > _maxMessageSize)
            {
                continue;
            }

            if (Process(onMessage, buffer, received, sources.Flow(), token))
            {
                // The buffer now belongs to the pending operation.
                buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Processes one datagram; returns true when processing continues asynchronously and owns the buffer.</summary>
    private bool Process(Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage, byte[] buffer, int length,
        SipFlow flow, CancellationToken token)
    {
        try
        {
            var pending = onMessage(buffer.AsMemory(0, length), flow, token);
            if (pending.IsCompletedSuccessfully)
            {
                pending.GetAwaiter().GetResult();
                return false;
            }

            if (!pending.IsCompleted && Interlocked.Increment(ref _pendingAsync) <= _asyncLimit)
            {
                var task = FinishAsync(pending, buffer);
                lock (_handedOff)
                {
                    _handedOff.RemoveAll(t => t.IsCompleted);
                    _handedOff.Add(task);
                }

                return true;
            }

            if (!pending.IsCompleted)
            {
                Interlocked.Decrement(ref _pendingAsync);
            }

            // Over the bound (or already faulted): wait here, which also slows this thread's intake.
            pending.AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Processing a UDP datagram failed");
        }

        return false;
    }

    private async Task FinishAsync(ValueTask pending, byte[] buffer)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Processing a UDP datagram failed");
        }
        finally
        {
            Interlocked.Decrement(ref _pendingAsync);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        Task[] pending;
        lock (_handedOff)
        {
            pending = [.. _handedOff];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        _stop.Dispose();
    }
}
