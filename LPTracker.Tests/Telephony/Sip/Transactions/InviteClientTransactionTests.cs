using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Tests.Telephony.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static LPTracker.Tests.Telephony.Sip.Transactions.InviteTransactionTestData;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>INVITE client transactions (RFC 3261 §17.1.1 with RFC 6026): Timers A, B, D, M on a fake clock.</summary>
public sealed class InviteClientTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly List<int?> _seen = [];

    private (InviteTransactionTable Table, InviteClientTransaction Transaction) Start(bool tcp = false)
    {
        var table = new InviteTransactionTable(_sender, _time, Timers, 100);
        var transaction = table.StartClient(Invite("z9hG4bKout1"), tcp ? Tcp : Udp, Peer, (_, r) => _seen.Add(r?.StatusCode));
        return (table, transaction);
    }

    [Fact]
    public void Timer_a_retransmits_the_invite_with_doubling_intervals_until_a_provisional()
    {
        var (table, _) = Start();

        _time.Advance(TimeSpan.FromMilliseconds(500));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        _time.Advance(TimeSpan.FromMilliseconds(2000));
        table.OnResponse(Response(Invite("z9hG4bKout1"), 180));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(4, _sender.Messages().Count(m => m is SipRequest { Method: SipMethods.Invite }));
        Assert.Equal([180], _seen);
    }

    [Fact]
    public void Timer_b_tells_the_tu_that_nobody_answered()
    {
        var (table, transaction) = Start();

        _time.Advance(TimeSpan.FromSeconds(32.1));

        Assert.Equal([null], _seen);
        Assert.Equal(InviteClientState.Terminated, transaction.State);
        Assert.Equal(0, table.ClientCount);
    }

    [Fact]
    public void After_a_provisional_timer_b_no_longer_applies_and_only_the_three_minute_guard_ends_a_phone_that_rings_forever()
    {
        var (table, transaction) = Start();
        table.OnResponse(Response(Invite("z9hG4bKout1"), 180));

        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal([180], _seen);
        Assert.Equal(InviteClientState.Proceeding, transaction.State);

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal([180, null], _seen);
        Assert.Equal(InviteClientState.Terminated, transaction.State);
    }

    [Fact]
    public void A_non_2xx_is_acked_hop_by_hop_with_the_invite_branch_and_its_retransmission_is_acked_again()
    {
        var (table, transaction) = Start();
        var busy = Response(Invite("z9hG4bKout1"), 486);

        table.OnResponse(busy);
        table.OnResponse(busy);

        var acks = _sender.Messages().OfType<SipRequest>().Where(r => r.Method == SipMethods.Ack).ToList();
        Assert.Equal(2, acks.Count);
        Assert.Equal("z9hG4bKout1", acks[0].TopVia!.Branch);
        Assert.Equal("1 ACK", acks[0].GetHeader(SipHeaderNames.CSeq));
        Assert.Equal([486], _seen);
        Assert.Equal(InviteClientState.Completed, transaction.State);
    }

    [Fact]
    public void Timer_d_ends_the_completed_state_after_32_seconds_on_udp()
    {
        var (table, transaction) = Start();
        table.OnResponse(Response(Invite("z9hG4bKout1"), 486));

        _time.Advance(TimeSpan.FromSeconds(31.9));
        var before = transaction.State;
        _time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.Equal(InviteClientState.Completed, before);
        Assert.Equal(InviteClientState.Terminated, transaction.State);
    }

    [Fact]
    public void Every_2xx_reaches_the_tu_in_the_accepted_state_and_no_ack_is_sent_by_the_transaction()
    {
        var (table, transaction) = Start();
        var ok = Response(Invite("z9hG4bKout1"), 200);

        table.OnResponse(ok);
        table.OnResponse(ok);
        _time.Advance(TimeSpan.FromSeconds(32.1));

        Assert.Equal([200, 200], _seen);
        Assert.DoesNotContain(_sender.Messages(), m => m is SipRequest { Method: SipMethods.Ack });
        Assert.Equal(InviteClientState.Terminated, transaction.State);
    }

    [Fact]
    public void Over_tcp_the_invite_is_sent_once_and_a_non_2xx_ends_it_at_once()
    {
        var (table, transaction) = Start(tcp: true);

        _time.Advance(TimeSpan.FromSeconds(5));
        table.OnResponse(Response(Invite("z9hG4bKout1"), 486));

        Assert.Single(_sender.Messages(), m => m is SipRequest { Method: SipMethods.Invite });
        Assert.Equal(InviteClientState.Terminated, transaction.State);
    }

    [Fact]
    public void A_cancel_may_only_follow_a_provisional()
    {
        var (table, transaction) = Start();
        var before = transaction.HasProvisional;

        table.OnResponse(Response(Invite("z9hG4bKout1"), 180));

        Assert.False(before);
        Assert.True(transaction.HasProvisional);
    }
}
