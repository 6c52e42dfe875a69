using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>A minimal TCP (or TLS) SIP client that frames responses like the server does.</summary>
internal sealed class TcpTestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly string _transport;
    private readonly List<byte> _buffer = [];

    private TcpTestClient(Socket socket, Stream stream, string transport)
    {
        _socket = socket;
        _stream = stream;
        _transport = transport;
    }

    public static async Task<TcpTestClient> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        return new TcpTestClient(socket, new NetworkStream(socket, ownsSocket: false), "TCP");
    }

    /// <summary>Connects over TLS, trusting exactly <paramref name="trusted"/> (the server's self-signed certificate).</summary>
    public static async Task<TcpTestClient> ConnectTlsAsync(IPEndPoint server, X509Certificate2 trusted)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false,
            (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString());
        await tls.AuthenticateAsClientAsync(server.Address.ToString());
        return new TcpTestClient(socket, tls, "TLS");
    }

    public string ViaSentBy => _socket.LocalEndPoint!.ToString()!;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends on the socket for plain TCP (a reset surfaces as the <see cref="SocketException"/> tests expect),
    /// through the TLS stream otherwise.</summary>
    public async Task SendAsync(byte[] data)
    {
        if (_stream is NetworkStream)
        {
            await _socket.SendAsync(data, SocketFlags.None);
        }
        else
        {
            await _stream.WriteAsync(data);
        }
    }

    /// <summary>Reads one framed response, or null if the server closed the connection or the timeout passed.</summary>
    public async Task<SipResponse?> ReceiveAsync(TimeSpan timeout) => await ReceiveMessageAsync(timeout) as SipResponse;

    /// <summary>Reads one framed request the server sent (a qualify OPTIONS), or null.</summary>
    public async Task<SipRequest?> ReceiveRequestAsync(TimeSpan timeout) => await ReceiveMessageAsync(timeout) as SipRequest;

    private async Task<SipMessage?> ReceiveMessageAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var chunk = new byte[8192];
        while (true)
        {
            if (SipStreamFramer.TryFrame(_buffer.ToArray(), 65536, out var length) == FrameStatus.Complete)
            {
                var frame = _buffer.GetRange(0, length).ToArray();
                _buffer.RemoveRange(0, length);
                return SipMessageParser.TryParse(frame, true, out var m) ? m : null;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(chunk, cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>True once the server has closed the connection (read returns 0 or reset), within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(chunk, cts.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task<SipResponse> RegisterAsync(string user, string password, string domain, string expires = "600")
    {
        var contact = _transport == "TLS" ? $"<sips:{user}@{ViaSentBy}>" : $"<sip:{user}@{ViaSentBy};transport=tcp>";
        await SendAsync(SipRequests.Register(user, domain, contact, 1, expires: expires, transport: _transport, viaSentBy: ViaSentBy));
        var challenge = await ReceiveAsync(TimeSpan.FromSeconds(15)) ?? throw new TimeoutException("no challenge");
        var auth = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.WwwAuthenticate)!, user, password, "REGISTER", $"sip:{domain}");
        await SendAsync(SipRequests.Register(user, domain, contact, 2, expires: expires, authorization: auth, transport: _transport, viaSentBy: ViaSentBy));
        return await ReceiveAsync(TimeSpan.FromSeconds(15)) ?? throw new TimeoutException("no final response");
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}
