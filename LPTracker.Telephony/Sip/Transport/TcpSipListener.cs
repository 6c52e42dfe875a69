using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>Accepts TCP (or, with a certificate, TLS) connections up to a limit and runs each one; reports closed
/// connections.</summary>
internal sealed class TcpSipListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, TcpSipConnection> _connections;
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private Task _acceptLoop = Task.CompletedTask;

    public TcpSipListener(IPEndPoint endPoint, SipOptions options, ConcurrentDictionary<long, TcpSipConnection> connections,
        TimeProvider time, ILogger logger, X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _options = options;
        _connections = connections;
        _time = time;
        _logger = logger;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = false;
        }

        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(endPoint);
        _socket.Listen(512);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start(Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage, Func<long, ValueTask> onClosed) =>
        _acceptLoop = Task.Run(() => AcceptLoopAsync(onMessage, onClosed));

    private async Task AcceptLoopAsync(Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage, Func<long, ValueTask> onClosed)
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(token).ConfigureAwait(false);
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
                _logger.LogDebug("TCP accept failed: {Error}", ex.SocketErrorCode);
                continue;
            }

            if (_connections.Count >= _options.MaxTcpConnections)
            {
                _logger.LogWarning("Refusing TCP connection from {Remote}: {Max} connections open", accepted.RemoteEndPoint, _options.MaxTcpConnections);
                accepted.Dispose();
                continue;
            }

            accepted.NoDelay = true;
            var connection = new TcpSipConnection(TcpSipConnection.NextId(), accepted, _options.MaxMessageSize,
                _options.TcpIdleTimeout, _time, _logger, _certificate);
            _connections[connection.Id] = connection;
            _ = connection.RunTrackedAsync(_connections, onMessage, onClosed, token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
