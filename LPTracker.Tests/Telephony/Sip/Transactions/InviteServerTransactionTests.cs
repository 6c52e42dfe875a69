using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Tests.Telephony.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static LPTracker.Tests.Telephony.Sip.Transactions.InviteTransactionTestData;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>INVITE server transactions (RFC 3261 §17.2.1 with RFC 6026): Timers G, H, I, L on a fake clock.</summary>
public sealed class InviteServerTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();

    private InviteTransactionTable Table(int capacity = 100) => new(_sender, _time, Timers, capacity);

    private InviteServerTransaction Begin(InviteTransactionTable table, SipRequest? invite = null, bool tcp = false)
    {
        var result = table.TryBegin(invite ?? Invite(), tcp ? Tcp : Udp, Peer, out var transaction);
        Assert.Equal(InviteBegin.New, result);
        return transaction!;
    }

    [Fact]
    public void A_retransmitted_invite_gets_the_last_provisional_again_and_does_not_reach_the_tu()
    {
        var table = Table();
        var transaction = Begin(table);
        transaction.Respond(Response(transaction.Request, 180));

        var again = table.TryBegin(Invite(), Udp, Peer, out _);

        Assert.Equal(InviteBegin.Retransmission, again);
        Assert.Equal(2, _sender.Messages().Count(m => m is SipResponse { StatusCode: 180 }));
    }

    [Fact]
    public void A_non_2xx_final_is_retransmitted_on_timer_g_doubling_to_t2()
    {
        var table = Table();
        var transaction = Begin(table);
        transaction.Respond(Response(transaction.Request, 486));

        foreach (var ms in new[] { 500, 1000, 2000, 4000, 4000 })
        {
            _time.Advance(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(InviteServerState.Completed, transaction.State);
        Assert.Equal(6, _sender.Messages().Count(m => m is SipResponse { StatusCode: 486 }));
    }

    [Fact]
    public void The_ack_for_a_non_2xx_confirms_and_timer_i_ends_the_transaction()
    {
        var table = Table();
        var transaction = Begin(table);
        transaction.Respond(Response(transaction.Request, 486));

        var matched = table.FindServer(Invite(method: SipMethods.Ack, cseqMethod: SipMethods.Ack))?.OnNon2xxAck();
        var sentAfterAck = _sender.Sent.Count;
        _time.Advance(TimeSpan.FromSeconds(4.9));
        var stateBeforeTimerI = transaction.State;
        _time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.True(matched);
        Assert.Equal(InviteServerState.Confirmed, stateBeforeTimerI);
        Assert.Equal(sentAfterAck, _sender.Sent.Count);
        Assert.Equal(InviteServerState.Terminated, transaction.State);
        Assert.Equal(0, table.ServerCount);
    }

    [Fact]
    public void Without_an_ack_timer_h_ends_the_transaction_after_64_t1_and_says_so()
    {
        var table = Table();
        var transaction = Begin(table);
        bool? noAck = null;
        transaction.Terminated += (_, n) => noAck = n;
        transaction.Respond(Response(transaction.Request, 486));

        _time.Advance(TimeSpan.FromSeconds(31.9));
        var before = transaction.State;
        _time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.Equal(InviteServerState.Completed, before);
        Assert.Equal(InviteServerState.Terminated, transaction.State);
        Assert.True(noAck);
    }

    [Fact]
    public void A_2xx_moves_to_accepted_and_is_retransmitted_until_acked()
    {
        var table = Table();
        var transaction = Begin(table);
        transaction.Respond(Response(transaction.Request, 200));

        _time.Advance(TimeSpan.FromMilliseconds(500));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        transaction.On2xxAcked();
        _time.Advance(TimeSpan.FromSeconds(8));

        Assert.Equal(InviteServerState.Accepted, transaction.State);
        Assert.Equal(3, _sender.Messages().Count(m => m is SipResponse { StatusCode: 200 }));
    }

    [Fact]
    public void Timer_l_ends_the_accepted_state_and_absorbs_invite_copies_until_then()
    {
        var table = Table();
        var transaction = Begin(table);
        transaction.Respond(Response(transaction.Request, 200));
        transaction.On2xxAcked();

        var copy = table.TryBegin(Invite(), Udp, Peer, out _);
        _time.Advance(TimeSpan.FromSeconds(32.1));

        Assert.Equal(InviteBegin.Retransmission, copy);
        Assert.Equal(InviteServerState.Terminated, transaction.State);
        Assert.Equal(InviteBegin.New, table.TryBegin(Invite(), Udp, Peer, out _));
    }

    [Fact]
    public void A_final_response_cannot_follow_another()
    {
        var table = Table();
        var transaction = Begin(table);
        transaction.Respond(Response(transaction.Request, 486));

        var second = transaction.Respond(Response(transaction.Request, 200));

        Assert.False(second);
        Assert.DoesNotContain(_sender.Messages(), m => m is SipResponse { StatusCode: 200 });
    }

    [Fact]
    public void Over_tcp_a_non_2xx_is_not_retransmitted_and_the_ack_ends_it_at_once()
    {
        var table = Table();
        var transaction = Begin(table, tcp: true);
        transaction.Respond(Response(transaction.Request, 486));

        _time.Advance(TimeSpan.FromSeconds(10));
        var sent = _sender.Sent.Count;
        transaction.OnNon2xxAck();

        Assert.Equal(1, sent);
        Assert.Equal(InviteServerState.Terminated, transaction.State);
    }

    [Fact]
    public void A_full_table_turns_new_invites_away()
    {
        var table = Table(capacity: 1);
        Begin(table, Invite("z9hG4bKfirst"));

        var second = table.TryBegin(Invite("z9hG4bKsecond"), Udp, Peer, out var transaction);

        Assert.Equal(InviteBegin.Full, second);
        Assert.Null(transaction);
        Assert.Equal(1, table.ServerCount);
    }

    [Fact]
    public void A_cancel_finds_its_invite_by_branch()
    {
        var table = Table();
        var transaction = Begin(table);

        var found = table.FindServer(Invite(method: SipMethods.Cancel, cseqMethod: SipMethods.Cancel));
        var other = table.FindServer(Invite("z9hG4bKother", SipMethods.Cancel, SipMethods.Cancel));

        Assert.Same(transaction, found);
        Assert.Null(other);
    }
}
