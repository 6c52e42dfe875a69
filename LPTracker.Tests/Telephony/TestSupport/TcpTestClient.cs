using System.Net;
using System.Net.Sockets;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>A minimal TCP SIP client that frames responses like the server does.</summary>
internal sealed class TcpTestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _buffer = [];

    private TcpTestClient(Socket socket) => _socket = socket;

    public static async Task<TcpTestClient> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        return new TcpTestClient(socket);
    }

    public string ViaSentBy => _socket.LocalEndPoint!.ToString()!;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] data) => await _socket.SendAsync(data, SocketFlags.None);

    /// <summary>Reads one framed response, or null if the server closed the connection or the timeout passed.</summary>
    public async Task<SipResponse?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var chunk = new byte[8192];
        while (true)
        {
            if (SipStreamFramer.TryFrame(_buffer.ToArray(), 65536, out var length) == FrameStatus.Complete)
            {
                var frame = _buffer.GetRange(0, length).ToArray();
                _buffer.RemoveRange(0, length);
                return SipMessageParser.TryParse(frame, true, out var m) ? m as SipResponse : null;
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
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
                if (await _socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
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
        var contact = $"<sip:{user}@{ViaSentBy};transport=tcp>";
        await SendAsync(SipRequests.Register(user, domain, contact, 1, expires: expires, transport: "TCP", viaSentBy: ViaSentBy));
        var challenge = await ReceiveAsync(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("no challenge");
        var auth = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.WwwAuthenticate)!, user, password, "REGISTER", $"sip:{domain}");
        await SendAsync(SipRequests.Register(user, domain, contact, 2, expires: expires, authorization: auth, transport: "TCP", viaSentBy: ViaSentBy));
        return await ReceiveAsync(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("no final response");
    }

    public void Dispose() => _socket.Dispose();
}
