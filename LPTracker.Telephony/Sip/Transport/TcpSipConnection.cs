using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using LPTracker.Telephony.Sip.Parsing;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>
/// One accepted TCP connection, or a TLS one (RFC 3261 §26.2: the TLS handshake first, then the same stream): frames
/// messages by Content-Length, processes them in order, and closes when the peer goes quiet without completing a
/// message for the idle timeout, sends a frame over the size limit, or breaks framing.
/// </summary>
internal sealed class TcpSipConnection : IAsyncDisposable
{
    private static readonly ReadOnlyMemory<byte> Pong = "\r\n"u8.ToArray();
    private static long _nextId;
    private readonly Socket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly int _maxMessageSize;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    private readonly X509Certificate2? _certificate;
    private Stream? _stream;

    public TcpSipConnection(long id, Socket socket, int maxMessageSize, TimeSpan idleTimeout, TimeProvider time, ILogger logger,
        X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        Id = id;
        _socket = socket;
        _maxMessageSize = maxMessageSize;
        _idleTimeout = idleTimeout;
        _time = time;
        _logger = logger;
        Local = (IPEndPoint)socket.LocalEndPoint!;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
        Flow = new SipFlow(certificate is null ? SipTransportKind.Tcp : SipTransportKind.Tls, Local, Remote, id);
    }

    public long Id { get; }

    public IPEndPoint Local { get; }

    public IPEndPoint Remote { get; }

    public SipFlow Flow { get; }

    /// <summary>A process-wide unique connection id (accepted and opened connections share the numbering).</summary>
    public static long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Runs the connection until it closes, then forgets it in <paramref name="table"/>, disposes it and
    /// reports it closed (bindings on it go, as for any closed flow).</summary>
    public async Task RunTrackedAsync(ConcurrentDictionary<long, TcpSipConnection> table,
        Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage, Func<long, ValueTask> onClosed, CancellationToken token)
    {
        try
        {
            await RunAsync(onMessage, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "TCP connection {Remote} failed", Remote);
        }
        finally
        {
            table.TryRemove(Id, out _);
            await DisposeAsync().ConfigureAwait(false);
            try
            {
                await onClosed(Id).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Handling closed TCP connection {Remote} failed", Remote);
            }
        }
    }

    public async Task RunAsync(Func<ReadOnlyMemory<byte>, SipFlow, CancellationToken, ValueTask> onMessage, CancellationToken stopping)
    {
        var buffer = new byte[Math.Min(8192, _maxMessageSize + 4)];
        var filled = 0;
        var keepAlive = 0;
        using var idle = new CancellationTokenSource(_idleTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, stopping, _closed.Token);
        try
        {
            var stream = await OpenStreamAsync(linked.Token).ConfigureAwait(false);
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // Grow up to the limit plus slack; the framer refuses anything larger.
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, _maxMessageSize + 8192));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), linked.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var consumed = 0;
                while (true)
                {
                    var crlf = SipStreamFramer.CountLeadingCrlf(buffer.AsSpan(consumed, filled - consumed));
                    consumed += crlf;
                    keepAlive += crlf;
                    if (keepAlive >= 4)
                    {
                        // RFC 5626 §3.5.1: a double-CRLF "ping" between messages is answered with a single-CRLF "pong",
                        // which tells an outbound client its flow (and our side of its NAT binding) is alive.
                        keepAlive = 0;
                        idle.CancelAfter(_idleTimeout);
                        await SendAsync(Pong, stopping).ConfigureAwait(false);
                    }
                    var status = SipStreamFramer.TryFrame(buffer.AsSpan(consumed, filled - consumed), _maxMessageSize, out var length);
                    if (status == FrameStatus.Invalid)
                    {
                        _logger.LogInformation("Closing TCP connection from {Remote}: message too large or unframeable", Remote);
                        return;
                    }

                    if (status == FrameStatus.NeedMore)
                    {
                        break;
                    }

                    keepAlive = 0;
                    await onMessage(buffer.AsMemory(consumed, length), Flow, stopping).ConfigureAwait(false);
                    consumed += length;
                    idle.CancelAfter(_idleTimeout);
                }

                if (consumed > 0)
                {
                    Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                    filled -= consumed;
                }
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            _logger.LogInformation("Closing idle TCP connection from {Remote}", Remote);
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException ex)
        {
            _logger.LogDebug("TCP connection from {Remote} failed: {Error}", Remote, ex.SocketErrorCode);
        }
        catch (IOException ex)
        {
            // A reset under the stream, or a TLS handshake or record the peer broke (e.g. a client that does not trust
            // our certificate hangs up during the handshake).
            _logger.LogDebug("{Transport} connection from {Remote} failed: {Error}", Flow.ViaTransport, Remote, ex.Message);
        }
        catch (AuthenticationException ex)
        {
            _logger.LogInformation("TLS handshake with {Remote} failed: {Error}", Remote, ex.Message);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The plain network stream, or for TLS the stream after the server handshake (bounded by the idle
    /// timeout, so a peer that connects and never completes the handshake is closed like an idle one).</summary>
    private async Task<Stream> OpenStreamAsync(CancellationToken cancellationToken)
    {
        var network = new NetworkStream(_socket, ownsSocket: false);
        if (_certificate is null)
        {
            return _stream = network;
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            ClientCertificateRequired = false,
        }, cancellationToken).ConfigureAwait(false);
        return _stream = tls;
    }

    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _stream) is not { } stream)
            {
                // TLS not yet up: nothing may be written in the clear.
                return false;
            }

            await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The peer or the receive loop closed it first: nothing left to shut down.
        }

        if (_stream is { } stream)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        _socket.Dispose();
    }
}
