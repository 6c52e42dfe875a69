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
    public void Nonce_count_must_increase()
    {
        var tracker = new NonceCountTracker();

        Assert.True(tracker.TryAccept("n1", 1000, 1));
        Assert.False(tracker.TryAccept("n1", 1000, 1));
        Assert.True(tracker.TryAccept("n1", 1000, 2));
        Assert.False(tracker.TryAccept("n1", 1000, 1));
    }

    [Fact]
    public void Tracker_memory_is_bounded_and_forgotten_nonces_are_not_accepted_again()
    {
        var tracker = new NonceCountTracker(capacity: 100);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(tracker.TryAccept("n" + i, i, 1));
        }

        Assert.True(tracker.Count <= 100);
        Assert.False(tracker.TryAccept("n0", 0, 2));
        Assert.True(tracker.TryAccept("n999", 999, 2));
    }
}
