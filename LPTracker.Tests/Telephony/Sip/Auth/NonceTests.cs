using System.Net;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Sip.Auth;

public sealed class NonceTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_fresh_nonce_is_valid_for_the_client_it_was_issued_to()
    {
        var service = new NonceService(null, TimeSpan.FromMinutes(5), _time);
        var nonce = service.Create(Client);

        var status = service.Validate(nonce, Client, out _);

        Assert.Equal(NonceStatus.Valid, status);
    }

    [Fact]
    public void A_nonce_past_its_lifetime_is_expired()
    {
        var service = new NonceService(null, TimeSpan.FromMinutes(5), _time);
        var nonce = service.Create(Client);
        _time.Advance(TimeSpan.FromMinutes(6));

        var status = service.Validate(nonce, Client, out _);

        Assert.Equal(NonceStatus.Expired, status);
    }

    [Fact]
    public void A_nonce_presented_from_another_address_is_invalid()
    {
        var service = new NonceService(null, TimeSpan.FromMinutes(5), _time);
        var nonce = service.Create(Client);

        var status = service.Validate(nonce, IPAddress.Parse("192.0.2.11"), out _);

        Assert.Equal(NonceStatus.Invalid, status);
    }

    [Fact]
    public void A_tampered_or_foreign_nonce_is_invalid()
    {
        var service = new NonceService(null, TimeSpan.FromMinutes(5), _time);
        var other = new NonceService(null, TimeSpan.FromMinutes(5), _time);
        var nonce = service.Create(Client);
        var tampered = (nonce[0] == 'A' ? "B" : "A") + nonce[1..];

        Assert.Equal(NonceStatus.Invalid, service.Validate(tampered, Client, out _));
        Assert.Equal(NonceStatus.Invalid, service.Validate(other.Create(Client), Client, out _));
        Assert.Equal(NonceStatus.Invalid, service.Validate("not-a-nonce", Client, out _));
    }

    [Fact]
    public void Nonces_are_distinct_and_numbered_from_the_first_sequence()
    {
        var service = new NonceService(null, TimeSpan.FromMinutes(5), _time);
        var first = service.Create(Client);
        var second = service.Create(Client);

        Assert.NotEqual(first, second);
        Assert.Equal(NonceStatus.Valid, service.Validate(first, Client, out var firstSequence));
        Assert.Equal(NonceStatus.Valid, service.Validate(second, Client, out var secondSequence));
        Assert.Equal(service.FirstSequence, firstSequence);
        Assert.Equal(firstSequence + 1, secondSequence);
    }

    [Fact]
    public void A_nonce_issued_before_a_restart_with_the_same_secret_is_stale()
    {
        var secret = new byte[32];
        var before = new NonceService(secret, TimeSpan.FromMinutes(5), _time);
        var nonce = before.Create(Client);
        _time.Advance(TimeSpan.FromSeconds(1));
        var restarted = new NonceService(secret, TimeSpan.FromMinutes(5), _time);

        Assert.Equal(NonceStatus.Expired, restarted.Validate(nonce, Client, out _));
        Assert.Equal(NonceStatus.Valid, restarted.Validate(restarted.Create(Client), Client, out _));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(0x7FFF_FFFF_FFFF_FFF0L)]
    [InlineData(0x0000_0FFF_FFFF_FFF8L)]
    [InlineData(0x4000_0000_0000_0000L)]
    public void Nonce_count_must_increase(long firstSequence)
    {
        var tracker = new NonceCountTracker(16, firstSequence);

        Assert.True(tracker.TryAccept(firstSequence, 1));
        Assert.False(tracker.TryAccept(firstSequence, 1));
        Assert.True(tracker.TryAccept(firstSequence, 2));
        Assert.False(tracker.TryAccept(firstSequence, 1));
        Assert.True(tracker.TryAccept(firstSequence + 1, 1));
        Assert.True(tracker.TryAccept(firstSequence + 15, 1));
    }

    [Fact]
    public void A_nonce_superseded_in_its_slot_is_refused_and_the_newer_one_keeps_working()
    {
        var tracker = new NonceCountTracker(16, 100);

        Assert.Equal(16, tracker.Capacity);
        Assert.True(tracker.TryAccept(100, 1));
        Assert.True(tracker.TryAccept(116, 1));

        Assert.False(tracker.TryAccept(100, 2));
        Assert.True(tracker.TryAccept(116, 2));
        Assert.False(tracker.TryAccept(116, 2));
    }

    [Fact]
    public void An_unused_nonce_older_than_a_used_one_in_its_slot_is_refused()
    {
        var tracker = new NonceCountTracker(16, 100);

        Assert.True(tracker.TryAccept(132, 1));

        Assert.False(tracker.TryAccept(116, 1));
        Assert.False(tracker.TryAccept(100, 1));
    }

    [Fact]
    public void Concurrent_uses_of_one_count_are_accepted_once()
    {
        var tracker = new NonceCountTracker(1024, 7);
        var accepted = new int[201];

        Parallel.For(0, 16, _ =>
        {
            for (uint nc = 1; nc <= 200; nc++)
            {
                if (tracker.TryAccept(7, nc))
                {
                    Interlocked.Increment(ref accepted[nc]);
                }
            }
        });

        Assert.All(accepted, count => Assert.InRange(count, 0, 1));
        Assert.Equal(1, accepted[200]);
        Assert.False(tracker.TryAccept(7, 200));
    }
}
