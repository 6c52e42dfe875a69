using System.Net;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Sip.Auth;

public sealed class FailureBanListTests
{
    private static readonly IPAddress Office = IPAddress.Parse("198.51.100.7");
    private readonly FakeTimeProvider _time = new();

    private FailureBanList Create(int maxFailures = 3, int maxUsers = 5, int flood = 100) =>
        new(new SipBanOptions
        {
            MaxFailures = maxFailures, MaxUsersPerAddress = maxUsers, FloodFailures = flood,
            Window = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10),
        }, _time, NullLogger.Instance);

    [Fact]
    public void One_user_failing_is_banned_from_the_address_and_the_address_stays_open()
    {
        var bans = Create();

        bans.RecordFailure(Office, "ivan");
        bans.RecordFailure(Office, "ivan");
        Assert.False(bans.IsBanned(Office, "ivan"));
        bans.RecordFailure(Office, "ivan");

        Assert.True(bans.IsBanned(Office, "ivan"));
        Assert.False(bans.IsBanned(Office, "olga"));
        Assert.False(bans.IsBanned(Office));
        Assert.False(bans.IsBanned(IPAddress.Parse("198.51.100.8"), "ivan"));
    }

    [Fact]
    public void Many_distinct_users_failing_ban_the_whole_address_as_a_scan()
    {
        var bans = Create(maxUsers: 3);

        foreach (var user in new[] { "100", "101", "102" })
        {
            bans.RecordFailure(Office, user);
        }

        Assert.True(bans.IsBanned(Office));
        Assert.Equal("scan", Assert.Single(bans.Active()).Reason);
    }

    [Fact]
    public void A_flood_of_refused_requests_bans_the_whole_address()
    {
        var bans = Create(flood: 20);

        for (var i = 0; i < 20; i++)
        {
            bans.RecordRefused(Office);
        }

        Assert.True(bans.IsBanned(Office));
    }

    [Fact]
    public void A_ban_is_announced_once_with_the_users_it_concerns()
    {
        var bans = Create(maxFailures: 2, maxUsers: 3);
        var started = new List<SipBanStarted>();
        bans.BanStarted += started.Add;

        for (var i = 0; i < 4; i++)
        {
            bans.RecordFailure(Office, "ivan");
        }

        var userBan = Assert.Single(started);
        Assert.Equal(("ivan", "password"), (userBan.Ban.User, userBan.Ban.Reason));
        Assert.Equal(["ivan"], userBan.UsersTried);

        bans.RecordFailure(Office, "olga");
        bans.RecordFailure(Office, "petr");

        Assert.Equal(2, started.Count);
        Assert.Equal((null, "scan"), (started[1].Ban.User, started[1].Ban.Reason));
        Assert.Equal(["ivan", "olga", "petr"], started[1].UsersTried.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Failures_spread_beyond_the_window_do_not_ban()
    {
        var bans = Create();

        for (var i = 0; i < 5; i++)
        {
            bans.RecordFailure(Office, "ivan");
            bans.RecordFailure(Office, "ivan");
            _time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.False(bans.IsBanned(Office, "ivan"));
    }

    [Fact]
    public void A_ban_ends_after_its_duration()
    {
        var bans = Create();
        for (var i = 0; i < 3; i++)
        {
            bans.RecordFailure(Office, "ivan");
        }

        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.False(bans.IsBanned(Office, "ivan"));
        Assert.Empty(bans.Active());
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var bans = Create();
        bans.RecordFailure(Office, "ivan");
        bans.RecordFailure(Office, "ivan");

        bans.RecordSuccess(Office, "ivan");
        bans.RecordFailure(Office, "ivan");

        Assert.False(bans.IsBanned(Office, "ivan"));
    }

    [Fact]
    public void Administrators_see_who_why_and_until_and_can_lift_a_ban()
    {
        var bans = Create();
        for (var i = 0; i < 3; i++)
        {
            bans.RecordFailure(Office, "ivan");
        }

        var ban = Assert.Single(bans.Active());
        Assert.Equal((Office, "ivan", "password", _time.GetUtcNow().AddMinutes(10)), (ban.Address, ban.User, ban.Reason, ban.Until));

        Assert.True(bans.Lift(Office, "ivan"));
        Assert.False(bans.IsBanned(Office, "ivan"));
    }

    [Fact]
    public void Zero_max_failures_disables_banning()
    {
        var bans = Create(maxFailures: 0);

        for (var i = 0; i < 50; i++)
        {
            bans.RecordFailure(Office, "u" + i);
        }

        Assert.False(bans.IsBanned(Office));
    }
}
