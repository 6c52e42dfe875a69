using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>A bound listener, as reported by the health check and used by tests to find port-0 endpoints.</summary>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="EndPoint">The actual local endpoint.</param>
public sealed record SipBoundEndpoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Transport == SipTransportKind.Tcp ? "tcp" : "udp")}:{EndPoint}";
}

/// <summary>Owns the UDP and TCP listeners and sends on the flow a message arrived on.</summary>
public sealed class SipTransportLayer : ISipSender, IAsyncDisposable
{
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<UdpSipListener> _udp = [];
    private readonly List<TcpSipListener> _tcp = [];
    private readonly ConcurrentDictionary<long, TcpSipConnection> _connections = new();

    /// <summary>Creates the (not yet started) transport layer.</summary>
    public SipTransportLayer(SipOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The endpoints actually bound (port 0 resolved).</summary>
    public IReadOnlyList<SipBoundEndpoint> BoundEndpoints { get; private set; } = [];

    /// <summary>Open TCP connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Binds every endpoint and starts receiving.</summary>
    public void Start(IEnumerable<SipListenEndpoint> endpoints, Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage,
        Func<long, ValueTask> onConnectionClosed)
    {
        var bound = new List<SipBoundEndpoint>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Transport == SipTransportKind.Udp)
            {
                var listener = new UdpSipListener(endpoint.EndPoint, _options.MaxMessageSize, _logger);
                listener.Start(Math.Max(1, _options.UdpConcurrency), onMessage);
                _udp.Add(listener);
                bound.Add(new SipBoundEndpoint(SipTransportKind.Udp, listener.LocalEndPoint));
            }
            else
            {
                var listener = new TcpSipListener(endpoint.EndPoint, _options, _connections, _time, _logger);
                listener.Start(onMessage, onConnectionClosed);
                _tcp.Add(listener);
                bound.Add(new SipBoundEndpoint(SipTransportKind.Tcp, listener.LocalEndPoint));
            }

            _logger.LogInformation("SIP listening on {Endpoint}", bound[^1]);
        }

        BoundEndpoints = bound;
    }

    /// <inheritdoc />
    public async ValueTask<bool> SendAsync(SipFlow flow, IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (flow.Transport == SipTransportKind.Tcp)
        {
            return _connections.TryGetValue(flow.ConnectionId, out var connection)
                && await connection.SendAsync(data, cancellationToken).ConfigureAwait(false);
        }

        var listener = _udp.Find(u => u.LocalEndPoint.Equals(flow.Local))
            ?? _udp.Find(u => u.LocalEndPoint.AddressFamily == destination.AddressFamily);
        if (listener is null)
        {
            return false;
        }

        await listener.SendAsync(destination, data, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _udp)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var listener in _tcp)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var connection in _connections.Values)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _udp.Clear();
        _tcp.Clear();
    }
}
