using System.Net;
using System.Net.Sockets;
using System.Text;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>A minimal UDP phone: REGISTERs with digest authentication against a real registrar, from 127.0.0.1 or
/// another loopback address (<paramref name="local"/>: a source of its own, so a ban of it concerns no other test).</summary>
internal sealed class TestPhone(IPEndPoint registrar, string domain, string user, string password, IPAddress? local = null) : IDisposable
{
    /// <summary>
    /// How long a phone retransmits a REGISTER before it gives up: Timer F (64·T1 = 32 s). A banned phone's silence is
    /// asserted with <see cref="BannedSilence"/>.
    /// </summary>
    public static readonly TimeSpan TimerF = ClientRetransmission.TimerF;

    /// <summary>How long a banned phone's silence is awaited (its REGISTER retransmitted meanwhile).</summary>
    public static readonly TimeSpan BannedSilence = TimeSpan.FromSeconds(5);

    private readonly UdpClient _udp = new(new IPEndPoint(local ?? IPAddress.Loopback, 0));
    private uint _cseq;

    private string Local => ((IPEndPoint)_udp.Client.LocalEndPoint!).ToString();

    /// <summary>Sends REGISTER, answers the challenge, and returns the final status code; throws
    /// <see cref="OperationCanceledException"/> when no answer comes within <paramref name="patience"/> (Timer F).</summary>
    public async Task<int> RegisterAsync(int expires = 300, string? passwordOverride = null, TimeSpan? patience = null)
    {
        using var giveUp = new CancellationTokenSource(patience ?? TimerF);
        var callId = $"phone-{user}";
        var contact = $"<sip:{user}@{Local}>";
        var first = await SendAsync(SipRequests.Register(user, domain, contact, ++_cseq, callId, expires: expires.ToString(System.Globalization.CultureInfo.InvariantCulture), viaSentBy: Local),
            _cseq, giveUp.Token);
        if (Status(first) != 401)
        {
            return Status(first);
        }

        var challenge = Header(first, "WWW-Authenticate");
        var authorization = DigestTestClient.Authorization(challenge, user, passwordOverride ?? password, "REGISTER", $"sip:{domain}");
        var second = await SendAsync(SipRequests.Register(user, domain, contact, ++_cseq, callId,
            expires: expires.ToString(System.Globalization.CultureInfo.InvariantCulture), authorization: authorization, viaSentBy: Local),
            _cseq, giveUp.Token);
        return Status(second);
    }

    /// <summary>Waits for a qualify ping (OPTIONS) and answers it 200 OK, as a live phone does.</summary>
    public async Task AnswerPingAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var datagram = await _udp.ReceiveAsync(cts.Token);
            var lines = Encoding.UTF8.GetString(datagram.Buffer).Split("\r\n");
            if (!lines[0].StartsWith("OPTIONS ", StringComparison.Ordinal))
            {
                continue;
            }

            string[] copied = ["Via:", "From:", "Call-ID:", "CSeq:"];
            var headers = lines.Where(l => copied.Any(c => l.StartsWith(c, StringComparison.OrdinalIgnoreCase)))
                .Append(lines.First(l => l.StartsWith("To:", StringComparison.OrdinalIgnoreCase)) + ";tag=pong");
            var response = $"SIP/2.0 200 OK\r\n{string.Join("\r\n", headers)}\r\nContent-Length: 0\r\n\r\n";
            await _udp.SendAsync(Encoding.UTF8.GetBytes(response), datagram.RemoteEndPoint);
            return;
        }
    }

    public void Dispose() => _udp.Dispose();

    /// <summary>
    /// Sends <paramref name="request"/> and retransmits it as a phone does (<see cref="ClientRetransmission"/>) until its
    /// final response (this <paramref name="cseq"/>) arrives; a late answer to an earlier request is never taken for
    /// this one's. Throws <see cref="OperationCanceledException"/> when <paramref name="giveUp"/> fires.
    /// </summary>
    private Task<string> SendAsync(string request, uint cseq, CancellationToken giveUp)
    {
        var bytes = Encoding.UTF8.GetBytes(request);
        var cseqPrefix = cseq.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ";
        return ClientRetransmission.SendUntilAnsweredAsync(
            async ct => await _udp.SendAsync(bytes, registrar, ct),
            async ct =>
            {
                while (true)
                {
                    var text = Encoding.UTF8.GetString((await _udp.ReceiveAsync(ct)).Buffer);
                    if (text.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && Status(text) >= 200 &&
                        Header(text, "CSeq").StartsWith(cseqPrefix, StringComparison.Ordinal))
                    {
                        return text;
                    }
                }
            },
            giveUp);
    }

    private static int Status(string response) => int.Parse(response.AsSpan(8, 3), System.Globalization.CultureInfo.InvariantCulture);

    private static string Header(string response, string name) =>
        response.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))[(name.Length + 1)..].Trim();
}
