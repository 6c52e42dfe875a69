using LPTracker.Telephony.Cluster;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Cluster;

/// <summary>A node leg's token rings once: the receiving node takes it, and the same token again is refused.</summary>
public sealed class NodeLegSignerTests
{
    private static readonly NodeLeg Leg = new("7001", "contact-key", "call-1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly NodeLegSigner _signer;

    public NodeLegSignerTests() => _signer = new NodeLegSigner(new EphemeralDataProtectionProvider(), _time);

    [Fact]
    public void A_token_is_taken_once_and_refused_when_replayed_within_its_lifetime()
    {
        var token = _signer.Sign(Leg);

        var first = _signer.Redeem(token, Leg.CallId);
        _time.Advance(TimeSpan.FromSeconds(5));
        var replay = _signer.Redeem(token, Leg.CallId);

        Assert.Equal(Leg, first);
        Assert.Null(replay);
    }

    [Fact]
    public void Each_signed_token_carries_its_own_nonce_so_a_second_leg_for_the_same_call_still_rings()
    {
        var first = _signer.Sign(Leg);
        var second = _signer.Sign(Leg);

        Assert.Equal(Leg, _signer.Redeem(first, Leg.CallId));
        Assert.Equal(Leg, _signer.Redeem(second, Leg.CallId));
    }

    [Fact]
    public void A_copy_sent_with_another_call_id_is_refused_without_spending_the_token()
    {
        var token = _signer.Sign(Leg);

        Assert.Null(_signer.Redeem(token, "another-call"));
        Assert.Equal(Leg, _signer.Redeem(token, Leg.CallId));
    }

    [Fact]
    public void An_expired_token_is_refused_and_a_sweep_after_expiry_keeps_refusing_the_replay()
    {
        var token = _signer.Sign(Leg);
        Assert.Equal(Leg, _signer.Redeem(token, Leg.CallId));

        _time.Advance(NodeLegSigner.Lifetime + TimeSpan.FromSeconds(1));
        _signer.Redeem(_signer.Sign(Leg with { CallId = "call-2" }), "call-2");

        Assert.Null(_signer.Redeem(token, Leg.CallId));
    }

    [Fact]
    public void A_forged_token_is_refused()
    {
        Assert.Null(_signer.Redeem("forged-token", Leg.CallId));
    }
}
