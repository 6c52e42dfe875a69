using System.Net;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Sip.Auth;

public sealed class FailureBanListTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("198.51.100.7");
    private readonly FakeTimeProvider _time = new();

    private FailureBanList Create(int maxFailures = 3) =>
        new(maxFailures, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), _time, NullLogger.Instance);

    [Fact]
    public void An_address_is_banned_after_max_failures_within_the_window()
    {
        var bans = Create();

        bans.RecordFailure(Attacker);
        bans.RecordFailure(Attacker);
        Assert.False(bans.IsBanned(Attacker));
        bans.RecordFailure(Attacker);

        Assert.True(bans.IsBanned(Attacker));
        Assert.False(bans.IsBanned(IPAddress.Parse("198.51.100.8")));
    }

    [Fact]
    public void Failures_spread_beyond_the_window_do_not_ban()
    {
        var bans = Create();

        for (var i = 0; i < 5; i++)
        {
            bans.RecordFailure(Attacker);
            bans.RecordFailure(Attacker);
            _time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.False(bans.IsBanned(Attacker));
    }

    [Fact]
    public void A_ban_ends_after_its_duration()
    {
        var bans = Create();
        for (var i = 0; i < 3; i++)
        {
            bans.RecordFailure(Attacker);
        }

        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.False(bans.IsBanned(Attacker));
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var bans = Create();
        bans.RecordFailure(Attacker);
        bans.RecordFailure(Attacker);

        bans.RecordSuccess(Attacker);
        bans.RecordFailure(Attacker);

        Assert.False(bans.IsBanned(Attacker));
    }

    [Fact]
    public void Zero_max_failures_disables_banning()
    {
        var bans = Create(maxFailures: 0);

        for (var i = 0; i < 50; i++)
        {
            bans.RecordFailure(Attacker);
        }

        Assert.False(bans.IsBanned(Attacker));
    }
}
