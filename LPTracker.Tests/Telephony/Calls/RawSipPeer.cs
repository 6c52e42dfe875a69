using System.Net;
using System.Net.Sockets;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>A bare UDP SIP peer on loopback (a carrier or a phone) that sends text and collects what arrives.</summary>
internal sealed class RawSipPeer : IDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));

    public IPEndPoint Local => (IPEndPoint)_socket.Client.LocalEndPoint!;

    public Task SendAsync(string text, IPEndPoint to) => _socket.SendAsync(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")), to).AsTask();

    /// <summary>The next message that satisfies <paramref name="match"/> (others are skipped), or null at the timeout.</summary>
    public async Task<(SipMessage Message, byte[] Raw)?> ReceiveAsync(Func<SipMessage, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(cts.Token);
                if (SipMessageParser.TryParse(result.Buffer, false, out var message) && match(message!))
                {
                    return (message!, result.Buffer);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<SipResponse> ExpectFinalAsync(string method = "INVITE", TimeSpan? timeout = null)
    {
        var got = await ReceiveAsync(m => m is SipResponse { StatusCode: >= 200 } r && r.ParseCSeq()?.Method == method,
            timeout ?? TimeSpan.FromSeconds(10));
        Assert.True(got is not null, $"no final response to {method}");
        return (SipResponse)got.Value.Message;
    }

    public async Task<SipRequest> ExpectRequestAsync(string method, TimeSpan? timeout = null)
    {
        var got = await ReceiveAsync(m => m is SipRequest r && r.Method == method, timeout ?? TimeSpan.FromSeconds(10));
        Assert.True(got is not null, $"no {method} arrived");
        return (SipRequest)got.Value.Message;
    }

    /// <summary>An INVITE as a carrier or phone sends it, with an SDP body unless <paramref name="body"/> says otherwise.</summary>
    public string Invite(string user, IPEndPoint server, string from = "+79001234567", string branch = "", string maxForwards = "70",
        string? body = null, string callId = "", string extraVia = "")
    {
        body ??= "v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        return $"INVITE sip:{user}@{server} SIP/2.0\r\n" +
               $"Via: SIP/2.0/UDP {Local};branch=z9hG4bK{(branch.Length > 0 ? branch : Guid.NewGuid().ToString("N"))};rport\r\n" + extraVia +
               $"Max-Forwards: {maxForwards}\r\nFrom: <sip:{from}@{Local}>;tag=t{Local.Port}\r\nTo: <sip:{user}@{server}>\r\n" +
               $"Call-ID: {(callId.Length > 0 ? callId : Guid.NewGuid().ToString("N"))}\r\nCSeq: 1 INVITE\r\nContact: <sip:peer@{Local}>\r\n" +
               $"Content-Type: application/sdp\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }

    /// <summary>A response to a request we received, echoing its headers (a phone's answer).</summary>
    public static string Answer(SipRequest request, int status, string reason, string toTag = "ph1", string body = "", string? cseq = null)
    {
        var sb = new StringBuilder($"SIP/2.0 {status} {reason}\r\n");
        foreach (var via in request.GetHeaderValues(SipHeaderNames.Via))
        {
            sb.Append("Via: ").Append(via).Append("\r\n");
        }

        var to = request.GetHeader(SipHeaderNames.To)!;
        sb.Append("From: ").Append(request.GetHeader(SipHeaderNames.From)).Append("\r\n")
            .Append("To: ").Append(to.Contains(";tag=", StringComparison.Ordinal) ? to : to + ";tag=" + toTag).Append("\r\n")
            .Append("Call-ID: ").Append(request.CallId).Append("\r\n")
            .Append("CSeq: ").Append(cseq ?? request.GetHeader(SipHeaderNames.CSeq)).Append("\r\n")
            .Append("Contact: <sip:phone@127.0.0.1>\r\n");
        if (body.Length > 0)
        {
            sb.Append("Content-Type: application/sdp\r\n");
        }

        sb.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n\r\n").Append(body);
        return sb.ToString();
    }

    public void Dispose() => _socket.Dispose();
}
