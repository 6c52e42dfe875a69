using System.Net;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Sip.Auth;

/// <summary>Bans another node raised, enforced here (<see cref="FailureBanList.Impose"/>, docs/decisions/0059).</summary>
public sealed class ImposedBanTests
{
    private static readonly IPAddress Office = IPAddress.Parse("198.51.100.7");
    private readonly FakeTimeProvider _time = new();

    private FailureBanList Create() =>
        new(new SipBanOptions { MaxFailures = 3, MaxUsersPerAddress = 3, Window = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10) },
            _time, NullLogger.Instance);

    [Fact]
    public void A_users_ban_from_another_node_holds_until_the_same_instant_and_raises_nothing_here()
    {
        var bans = Create();
        var raised = 0;
        bans.BanStarted += _ => raised++;
        var until = _time.GetUtcNow().AddMinutes(7);

        bans.Impose(Office, "ivan", "password", 3, until, ["ivan"]);

        Assert.True(bans.IsUserBanned(Office, "ivan"));
        Assert.False(bans.IsBanned(Office, "olga"));
        Assert.Equal(until, Assert.Single(bans.Active()).Until);
        Assert.Equal(0, raised);
        _time.Advance(TimeSpan.FromMinutes(7));
        Assert.False(bans.IsBanned(Office, "ivan"));
    }

    [Fact]
    public void An_address_ban_from_another_node_closes_the_address_and_never_shortens_a_longer_ban_in_force()
    {
        var bans = Create();
        var longer = _time.GetUtcNow().AddMinutes(9);
        bans.Impose(Office, null, "scan", 3, longer, ["100", "101", "102"]);

        bans.Impose(Office, null, "flood", 100, _time.GetUtcNow().AddMinutes(2), []);
        bans.Impose(IPAddress.Parse("198.51.100.8"), null, "scan", 3, _time.GetUtcNow().AddSeconds(-1), ["100"]);

        Assert.True(bans.IsBanned(Office));
        var ban = Assert.Single(bans.Active());
        Assert.Equal(("scan", longer, 3), (ban.Reason, ban.Until, ban.UsersTried.Count));
        Assert.True(bans.Lift(Office, null));
        Assert.False(bans.IsBanned(Office));
    }
}
