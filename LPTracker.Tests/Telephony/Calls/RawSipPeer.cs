using System.Net;
using System.Net.Sockets;
using System.Text;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>A bare UDP SIP peer on loopback (a carrier or a phone) that sends text and collects what arrives.</summary>
internal sealed class RawSipPeer(int port = 0) : IDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, port));

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

    /// <summary>The next <paramref name="method"/> request; with <paramref name="after"/>, the next one with a higher
    /// CSeq than that request's (its retransmissions skipped); requests <paramref name="unless"/> matches are skipped.</summary>
    public async Task<SipRequest> ExpectRequestAsync(string method, TimeSpan? timeout = null, SipRequest? after = null,
        Func<SipRequest, bool>? unless = null)
    {
        var skip = after?.ParseCSeq()?.Number ?? 0;
        var got = await ReceiveAsync(m => m is SipRequest r && r.Method == method && (after is null || r.ParseCSeq()?.Number > skip) &&
                                          (unless is null || !unless(r)),
            timeout ?? TimeSpan.FromSeconds(10));
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

    /// <summary>Dials <paramref name="target"/> as a phone does: INVITE, 407, ACK for it, INVITE again (CSeq 2) with
    /// digest credentials.</summary>
    public async Task DialAsync(IPEndPoint server, string target, string user, string password, string callId)
    {
        await SendAsync(Invite(target, server, from: user, callId: callId, branch: "first" + callId), server);
        var challenge = await ExpectFinalAsync();
        Assert.Equal(407, challenge.StatusCode);
        // ACK the 407 as a phone does, or its retransmissions would be taken for the final answer to the second INVITE.
        await SendAsync($"ACK sip:{target}@{server} SIP/2.0\r\nVia: SIP/2.0/UDP {Local};branch=z9hG4bKfirst{callId};rport\r\n" +
                        $"Max-Forwards: 70\r\nFrom: {challenge.GetHeader(SipHeaderNames.From)}\r\nTo: {challenge.GetHeader(SipHeaderNames.To)}\r\n" +
                        $"Call-ID: {callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n", server);
        var auth = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.ProxyAuthenticate)!, user, password, "INVITE",
            $"sip:{target}@{server}");
        await SendAsync(Invite(target, server, from: user, callId: callId)
            .Replace("CSeq: 1 INVITE", $"CSeq: 2 INVITE\r\nProxy-Authorization: {auth}", StringComparison.Ordinal), server);
    }

    /// <summary>A request of this phone in the dialog its INVITE set up with <paramref name="ok"/>.</summary>
    public string InDialog(SipResponse ok, string method, uint cseq, string body, string? branch = null) =>
        $"{method} {ContactUri(ok)} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {Local};branch={branch ?? "z9hG4bK" + Guid.NewGuid().ToString("N")};rport\r\n" +
        $"Max-Forwards: 70\r\nFrom: {ok.GetHeader(SipHeaderNames.From)}\r\nTo: {ok.GetHeader(SipHeaderNames.To)}\r\n" +
        $"Call-ID: {ok.CallId}\r\nCSeq: {cseq} {method}\r\nContact: <sip:alice@{Local}>\r\n" +
        (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
        $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    /// <summary>A request of this peer as the answering side of <paramref name="invite"/> (which it answered with
    /// <see cref="Answer"/>'s default To tag), e.g. its BYE.</summary>
    public string AsCallee(SipRequest invite, string method, uint cseq) =>
        $"{method} {ContactUri(invite)} SIP/2.0\r\nVia: SIP/2.0/UDP {Local};branch=z9hG4bK{Guid.NewGuid():N};rport\r\nMax-Forwards: 70\r\n" +
        $"From: {invite.GetHeader(SipHeaderNames.To)};tag=ph1\r\nTo: {invite.GetHeader(SipHeaderNames.From)}\r\n" +
        $"Call-ID: {invite.CallId}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n";

    /// <summary>The URI in a message's Contact.</summary>
    public static string ContactUri(SipMessage message)
    {
        var contact = message.GetHeader(SipHeaderNames.Contact)!;
        var start = contact.IndexOf('<', StringComparison.Ordinal) + 1;
        return contact[start..contact.IndexOf('>', start)];
    }

    /// <summary>Puts a binding of <paramref name="user"/> at this socket straight into the server's location store
    /// (the registrar's own tests cover REGISTER).</summary>
    public async Task BindAsync(LoopbackServer server, string user)
    {
        var now = DateTimeOffset.UtcNow;
        var binding = new SipBinding
        {
            UserName = user, ContactUri = $"sip:{user}@{Local}", CallId = "reg", CSeq = 1, RegisteredAt = now, UpdatedAt = now,
            ExpiresAt = now.AddHours(1), RemoteEndPoint = Local, LocalEndPoint = server.Udp, Transport = SipTransportKind.Udp,
        };
        await server.Server.Locations.UpdateAsync(user, (_, _) => new BindingUpdate<bool>([binding], true), CancellationToken.None);
    }

    public void Dispose() => _socket.Dispose();
}
