using System.Diagnostics;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace LPTracker.Tests.Web.ScaleOut;

/// <summary>Two nodes beating every second, so that a stopped node is expired within seconds.</summary>
public sealed class FastHeartbeatCluster : TwoNodeCluster
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Node:HeartbeatSeconds"] = "1";
}

/// <summary>A node that goes away: its phones do not stay Online on the others.</summary>
public sealed class NodeFailureTests(FastHeartbeatCluster cluster, ITestOutputHelper output) : IClassFixture<FastHeartbeatCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_node_that_stops_has_its_phones_turn_disconnected_on_the_other_node_and_its_bindings_deleted()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(cluster.A.SipUdp, "127.0.0.1", user, password);
        var presenceOnB = cluster.B.Get<ISipPresenceSource>();
        Assert.Equal(200, await phone.RegisterAsync());
        await Eventually.TrueAsync(() => Task.FromResult(presenceOnB.Get(ivan.EmployeeId).Status == SipStatus.Online), "Online on node B", Patience);

        var clock = Stopwatch.StartNew();
        cluster.A.Get<IHostApplicationLifetime>().StopApplication();

        await Eventually.TrueAsync(() => Task.FromResult(presenceOnB.Get(ivan.EmployeeId).Status == SipStatus.Disconnected),
            "Disconnected on node B", Patience);
        output.WriteLine($"Disconnected on node B {clock.ElapsedMilliseconds} ms after node A began to stop (heartbeat 1 s, expiry 3 s)");
        await using var db = await cluster.B.Get<IDbContextFactory<LptrackerDbContext>>().CreateDbContextAsync();
        Assert.False(await db.SipBindings.IgnoreQueryFilters().AnyAsync(b => b.UserName == user));
        Assert.False(await db.ClusterNodes.AnyAsync(n => n.Id == "node-a"));
    }
}
