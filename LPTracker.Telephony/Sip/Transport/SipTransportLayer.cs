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
