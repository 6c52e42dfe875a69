using System.Net;
using LPTracker.Core.Audit;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony.Bans;
using LPTracker.Telephony;
using LPTracker.Telephony.Integration;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.ScaleOut;

/// <summary>Two nodes whose registrars ban a user from an address after three wrong passwords, and a whole address
/// after three distinct failing users.</summary>
public sealed class QuickBanCluster : TwoNodeCluster
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Sip:Ban:MaxFailures"] = "3";
        settings["Sip:Ban:MaxUsersPerAddress"] = "3";
    }
}

/// <summary>SIP bans across nodes (docs/decisions/0059): raised on one node, enforced, listed and lifted on every node.</summary>
public sealed class ClusterBanTests(QuickBanCluster cluster) : IClassFixture<QuickBanCluster>
{
    // Generous: CI runs on 2 cores and the messages cross Redis.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_user_banned_on_node_a_is_refused_on_node_b_listed_there_with_node_a_and_a_lift_on_node_b_reopens_node_a()
    {
        var (owner, email) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        using var onA = new TestPhone(cluster.A.SipUdp, "127.0.0.1", user, password);
        using var onB = new TestPhone(cluster.B.SipUdp, "127.0.0.1", user, password);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, await onA.RegisterAsync(passwordOverride: "not-" + password));
        }

        var bansOnB = cluster.B.Get<SipServer>().Bans;
        await Eventually.TrueAsync(() => Task.FromResult(bansOnB.IsUserBanned(IPAddress.Loopback, user)), "the ban enforced on node B", Patience);
        var untilOnA = Assert.Single(cluster.A.Get<SipServer>().Bans.Active(), b => b.User == user).Until;
        Assert.Equal(untilOnA, Assert.Single(bansOnB.Active(), b => b.User == user).Until);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => onB.RegisterAsync(patience: TestPhone.BannedSilence));

        var listed = Assert.Single((await cluster.B.Get<SipBanList>().ListAsync(owner)).Value!, b => b.User == user);
        Assert.Equal(("127.0.0.1", "node-a", ivan.EmployeeId, true), (listed.Address, listed.Node, listed.Employees.Single().EmployeeId, listed.CanLift));
        var page = await GetPageAsync(cluster.B.BaseUrl, email);
        Assert.Contains(user, page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sip-ban-node\">node-a<", page, StringComparison.Ordinal);

        using (CallerScope.Begin(owner.EmployeeId, "127.0.0.1"))
        {
            var lifted = await cluster.B.Get<LiftSipBan>().LiftAsync(owner, "127.0.0.1", user);
            Assert.True(lifted.Succeeded, lifted.Summary);
        }

        var bansOnA = cluster.A.Get<SipServer>().Bans;
        await Eventually.TrueAsync(() => Task.FromResult(!bansOnA.IsBanned(IPAddress.Loopback, user)), "the ban lifted on node A", Patience);
        Assert.Equal(200, await onA.RegisterAsync());
        Assert.Equal(200, await onB.RegisterAsync());
        await using var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        Assert.Single(await db.AuditRecords.Where(r => r.Action == AuditAction.SipBanLifted).ToListAsync());
    }

    [Fact]
    public async Task Another_accounts_administrator_on_node_b_neither_sees_nor_lifts_a_ban_raised_on_node_a()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(cluster.A.SipUdp, "127.0.0.1", user, password, IPAddress.Parse("127.0.0.4"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, await phone.RegisterAsync(passwordOverride: "not-" + password));
        }

        var bansOnB = cluster.B.Get<SipServer>().Bans;
        await Eventually.TrueAsync(() => Task.FromResult(bansOnB.IsUserBanned(IPAddress.Parse("127.0.0.4"), user)), "the ban enforced on node B", Patience);
        var (stranger, _) = await cluster.B.SignUpAsync();

        var listed = await cluster.B.Get<SipBanList>().ListAsync(stranger);
        var lifted = await cluster.B.Get<LiftSipBan>().LiftAsync(stranger, "127.0.0.4", user);

        Assert.True(listed.Succeeded, listed.Summary);
        Assert.DoesNotContain(listed.Value!, b => b.User == user || b.Address == "127.0.0.4");
        Assert.Equal("Блокировка уже снята или истекла.", lifted.Summary);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(cluster.A.Get<SipServer>().Bans.IsUserBanned(IPAddress.Parse("127.0.0.4"), user));
        Assert.True(bansOnB.IsUserBanned(IPAddress.Parse("127.0.0.4"), user));
    }

    [Fact]
    public async Task An_address_banned_for_a_scan_on_node_a_is_refused_on_node_b_and_a_node_that_lost_it_learns_it_by_asking()
    {
        var scanner = IPAddress.Parse("127.0.0.3");
        for (var i = 0; i < 3; i++)
        {
            // An unknown user: the answered challenge fails, one failure per user name.
            using var guess = new TestPhone(cluster.A.SipUdp, "127.0.0.1", $"nobody{i}", "guess", scanner);
            Assert.Equal(401, await guess.RegisterAsync());
        }

        var bansOnB = cluster.B.Get<SipServer>().Bans;
        await Eventually.TrueAsync(() => Task.FromResult(bansOnB.IsBanned(scanner)), "the address ban enforced on node B", Patience);
        var (owner, _) = await cluster.B.SignUpAsync();
        var ivan = await cluster.B.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.B.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(cluster.B.SipUdp, "127.0.0.1", user, password, scanner);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => phone.RegisterAsync(patience: TestPhone.BannedSilence));

        // Node B forgets the ban (as a node that starts after it was raised never knew it), then asks the others.
        Assert.True(bansOnB.Lift(scanner, null));
        Assert.False(bansOnB.IsBanned(scanner));
        cluster.B.Get<SipBanRegistry>().AskOthers();

        await Eventually.TrueAsync(() => Task.FromResult(bansOnB.IsBanned(scanner)), "the address ban learnt again by node B", Patience);
        var onB = Assert.Single(bansOnB.Active(), b => b.Address.Equals(scanner));
        Assert.Equal(("scan", Assert.Single(cluster.A.Get<SipServer>().Bans.Active(), b => b.Address.Equals(scanner)).Until), (onB.Reason, onB.Until));
    }

    private static async Task<string> GetPageAsync(string baseUrl, string email)
    {
        var cookies = await HttpSignIn.SignInAsync(baseUrl, email, "secret123");
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler);
        return await http.GetStringAsync(baseUrl + "/employees/sip-bans");
    }
}
