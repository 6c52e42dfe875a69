using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>A bound listener, as reported by the health check and used by tests to find port-0 endpoints.</summary>
/// <param name="Transport">UDP, TCP or TLS.</param>
/// <param name="EndPoint">The actual local endpoint.</param>
public sealed record SipBoundEndpoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <inheritdoc />
    public override string ToString() => $"{Transport.ToConfigName()}:{EndPoint}";
}

/// <summary>Owns the UDP, TCP and TLS listeners and sends on the flow a message arrived on.</summary>
public sealed class SipTransportLayer : ISipSender, IAsyncDisposable
{
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<UdpSipListener> _udp = [];
    private readonly List<TcpSipListener> _tcp = [];
    private readonly ConcurrentDictionary<long, TcpSipConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, Lazy<Task<TcpSipConnection?>>> _connecting = new();
    private readonly CancellationTokenSource _stop = new();
    private Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask>? _onMessage;
    private Func<long, ValueTask>? _onConnectionClosed;

    private readonly Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2> _certificate;

    /// <summary>Creates the (not yet started) transport layer.</summary>
    public SipTransportLayer(SipOptions options, TimeProvider time, ILogger logger)
    {
        // Loaded (or generated) only when a tls: listener is configured.
        _certificate = new(() => SipTlsCertificate.Load(options, logger));
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
        _onMessage = onMessage;
        _onConnectionClosed = onConnectionClosed;
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
                // TLS is TCP with a handshake first: the same listener, connections and framing.
                var certificate = endpoint.Transport == SipTransportKind.Tls ? _certificate.Value : null;
                var listener = new TcpSipListener(endpoint.EndPoint, _options, _connections, _time, _logger, certificate);
                listener.Start(onMessage, onConnectionClosed);
                _tcp.Add(listener);
                bound.Add(new SipBoundEndpoint(endpoint.Transport, listener.LocalEndPoint));
            }

            _logger.LogInformation("SIP listening on {Endpoint}", bound[^1]);
        }

        BoundEndpoints = bound;
    }

    /// <inheritdoc />
    public ValueTask<bool> SendAsync(SipFlow flow, IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (flow.IsReliable)
        {
            if (flow.ConnectionId == 0)
            {
                return SendOpeningAsync(destination, data, cancellationToken);
            }

            return _connections.TryGetValue(flow.ConnectionId, out var connection)
                ? connection.SendAsync(data, cancellationToken)
                : ValueTask.FromResult(false);
        }

        // UDP sends complete synchronously: no state machine on the per-response path.
        if (FindUdpListener(flow.Local, destination.AddressFamily) is not { } listener)
        {
            return ValueTask.FromResult(false);
        }

        listener.Send(destination, data.Span);
        return ValueTask.FromResult(true);
    }

    /// <summary>
    /// A TCP flow without a connection id (a <c>tcp</c> trunk) goes over any open connection to the destination —
    /// one the peer opened or one we opened before — or over a new one we open now (bounded by
    /// <c>Sip:TcpConnectTimeout</c>). Concurrent sends to the same destination share one connection attempt.
    /// </summary>
    private async ValueTask<bool> SendOpeningAsync(IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var connection = FindConnection(destination);
        if (connection is null)
        {
            var attempt = _connecting.GetOrAdd(destination, d => new Lazy<Task<TcpSipConnection?>>(() => ConnectAsync(d)));
            try
            {
                connection = await attempt.Value.ConfigureAwait(false);
            }
            finally
            {
                _connecting.TryRemove(new KeyValuePair<IPEndPoint, Lazy<Task<TcpSipConnection?>>>(destination, attempt));
            }
        }

        return connection is not null && await connection.SendAsync(data, cancellationToken).ConfigureAwait(false);
    }

    private TcpSipConnection? FindConnection(IPEndPoint destination)
    {
        var address = destination.Address.IsIPv4MappedToIPv6 ? destination.Address.MapToIPv4() : destination.Address;
        foreach (var connection in _connections.Values)
        {
            var remote = connection.Remote.Address.IsIPv4MappedToIPv6 ? connection.Remote.Address.MapToIPv4() : connection.Remote.Address;
            if (connection.Remote.Port == destination.Port && remote.Equals(address))
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>Opens a connection and runs it like an accepted one (its requests and responses reach the processor);
    /// null when it cannot be opened in time, the table is full or the layer is stopping — never a half-open socket.</summary>
    private async Task<TcpSipConnection?> ConnectAsync(IPEndPoint destination)
    {
        if (_onMessage is not { } onMessage || _onConnectionClosed is not { } onClosed || _stop.IsCancellationRequested
            || _connections.Count >= _options.MaxTcpConnections)
        {
            return null;
        }

        var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_options.TcpConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        try
        {
            await socket.ConnectAsync(destination, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogWarning("TCP connection to {Destination} failed: {Error}", destination,
                ex is SocketException se ? se.SocketErrorCode.ToString() : "timed out");
            socket.Dispose();
            return null;
        }

        var connection = new TcpSipConnection(TcpSipConnection.NextId(), socket, _options.MaxMessageSize, _options.TcpIdleTimeout, _time, _logger);
        _connections[connection.Id] = connection;
        _ = connection.RunTrackedAsync(_connections, onMessage, onClosed, _stop.Token);
        return connection;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
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
        if (_certificate.IsValueCreated)
        {
            _certificate.Value.Dispose();
        }
    }

    private UdpSipListener? FindUdpListener(IPEndPoint local, AddressFamily family)
    {
        foreach (var listener in _udp)
        {
            if (listener.LocalEndPoint.Equals(local))
            {
                return listener;
            }
        }

        foreach (var listener in _udp)
        {
            if (listener.LocalEndPoint.AddressFamily == family)
            {
                return listener;
            }
        }

        return null;
    }
}
