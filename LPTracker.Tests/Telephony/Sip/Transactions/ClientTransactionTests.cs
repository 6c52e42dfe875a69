using System.Net;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Telephony.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>Non-INVITE client transactions (RFC 3261 §17.1.2): Timer E retransmits, Timer F gives up.</summary>
public sealed class ClientTransactionTests
{
    private static readonly IPEndPoint Phone = new(IPAddress.Loopback, 5099);
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();

    private ClientTransactionTable Create() => new(_sender, _time, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4));

    [Fact]
    public async Task Udp_request_is_retransmitted_with_doubling_intervals_and_times_out_at_timer_f()
    {
        var table = Create();
        var task = table.SendAsync(Options("z9hG4bKe1"), Udp, Phone, CancellationToken.None);

        foreach (var step in new[] { 500, 1000, 2000, 4000, 4000 })
        {
            _time.Advance(TimeSpan.FromMilliseconds(step));
        }

        var sentBeforeTimeout = _sender.Sent.Count;
        _time.Advance(TimeSpan.FromSeconds(32));
        var response = await task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(6, sentBeforeTimeout);
        Assert.Null(response);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public async Task Tcp_request_is_not_retransmitted()
    {
        var table = Create();
        var task = table.SendAsync(Options("z9hG4bKe2"), Udp with { Transport = SipTransportKind.Tcp, ConnectionId = 3 }, Phone, CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Single(_sender.Sent);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await task.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_final_response_with_the_matching_branch_completes_the_transaction()
    {
        var table = Create();
        var task = table.SendAsync(Options("z9hG4bKe3"), Udp, Phone, CancellationToken.None);

        var matched = table.OnResponse(Response("z9hG4bKe3", 200));
        var response = await task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(matched);
        Assert.Equal(200, response!.StatusCode);
    }

    [Fact]
    public void A_response_with_an_unknown_branch_is_stray()
    {
        var table = Create();

        var matched = table.OnResponse(Response("z9hG4bKnobody", 200));

        Assert.False(matched);
    }

    private static SipFlow Udp => new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060), Phone);

    private static SipRequest Options(string branch)
    {
        var request = new SipRequest(SipMethods.Options, "sip:phone@127.0.0.1:5099");
        request.AddHeader(SipHeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5060;branch={branch}");
        request.AddHeader(SipHeaderNames.CSeq, "1 OPTIONS");
        return request;
    }

    private static SipResponse Response(string branch, int status)
    {
        var text = $"SIP/2.0 {status} OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch={branch}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        Assert.True(SipMessageParser.TryParse(Encoding.UTF8.GetBytes(text), false, out var message));
        return (SipResponse)message!;
    }
}
