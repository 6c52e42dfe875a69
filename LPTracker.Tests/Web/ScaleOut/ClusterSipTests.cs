using System.Diagnostics;
using LPTracker.Core.Cluster;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Cluster;
using LPTracker.Telephony.Integration;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;
using LPTracker.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;
using StoredNode = LPTracker.Core.Cluster.ClusterNode;

namespace LPTracker.Tests.Web.ScaleOut;

/// <summary>SIP across two nodes: bindings name their node, presence and credentials are the same on every node, and the
/// bindings of a node whose heartbeat stopped are expired by another.</summary>
public sealed class ClusterSipTests(TwoNodeCluster cluster, ITestOutputHelper output) : IClassFixture<TwoNodeCluster>
{
    // Generous: CI runs on 2 cores and the events cross Redis; the figure each test measured is printed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_phone_registered_on_node_a_shows_online_with_its_device_on_node_b_and_its_binding_names_node_a()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(cluster.A.SipUdp, "127.0.0.1", user, password);
        var presenceOnB = cluster.B.Get<ISipPresenceSource>();

        Assert.Equal(200, await phone.RegisterAsync());
        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Task.FromResult(presenceOnB.Get(ivan.EmployeeId).Status == SipStatus.Online), "Online on node B", Patience);
        output.WriteLine($"Online on node B {clock.ElapsedMilliseconds} ms after the 200 on node A");
        await Eventually.TrueAsync(async () => await NodeOfBindingAsync(user) == "node-a", "the binding row names node-a", Patience);

        Assert.Equal("TestPhone/1.0", presenceOnB.Get(ivan.EmployeeId).Device);
    }

    [Fact]
    public async Task A_hub_client_with_details_on_node_b_gets_the_status_of_a_phone_on_node_a_with_its_device_only()
    {
        var (owner, email) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        var cookies = await HttpSignIn.SignInAsync(cluster.B.BaseUrl, email, "secret123");
        await using var hub = new HubConnectionBuilder().WithUrl(cluster.B.BaseUrl + TelephonyHub.Path, o => o.Cookies = cookies).Build();
        var received = new List<SipStatusEvent>();
        hub.On<SipStatusEvent>(TelephonyHub.SipStatusMethod, e => { lock (received) { received.Add(e); } });
        await hub.StartAsync();
        await InItsGroupsAsync(cluster.B, owner.EmployeeId);
        using var phone = new TestPhone(cluster.A.SipUdp, "127.0.0.1", user, password);

        Assert.Equal(200, await phone.RegisterAsync());
        await Eventually.TrueAsync(() => Task.FromResult(Count(received) > 0), "a status on node B's hub", Patience);
        await Task.Delay(1000);

        lock (received)
        {
            // Before basic and details clients had groups of their own, node A's "everyone but details" send reached
            // node B's details clients too (node A cannot know node B's connections), wiping the device.
            Assert.All(received, e => Assert.Equal(("Online", "TestPhone/1.0"), (e.Status, e.Device)));
        }
    }

    [Fact]
    public async Task The_bindings_of_a_node_whose_heartbeat_stopped_are_expired_by_another_and_its_phones_turn_disconnected_on_every_node()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, _) = await cluster.A.IssueSipAccountAsync(ivan);
        var dead = $"node-dead-{Guid.NewGuid():N}"[..20];
        await PlantDeadNodeAsync(dead, ivan.EmployeeId, owner.AccountId, user);
        // The dead node told the others its phone was online before it went silent.
        cluster.A.Get<NodeExchange<NodePresence>>().Publish(new NodePresence(dead, owner.AccountId, ivan.EmployeeId, user, true,
            DateTime.UtcNow, "Dead/1.0", "127.0.0.1:5099"));
        await Eventually.TrueAsync(() => Task.FromResult(cluster.B.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status == SipStatus.Online),
            "Online on node B", Patience);

        await Heartbeat(cluster.A).BeatAsync(CancellationToken.None);

        await Eventually.TrueAsync(() => Task.FromResult(cluster.B.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status == SipStatus.Disconnected),
            "Disconnected on node B", Patience);
        Assert.Equal(SipStatus.Disconnected, cluster.A.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status);
        await using var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().CreateDbContextAsync();
        Assert.False(await db.SipBindings.IgnoreQueryFilters().AnyAsync(b => b.NodeId == dead));
        Assert.False(await db.ClusterNodes.AnyAsync(n => n.Id == dead));
        Assert.True(await db.ClusterNodes.AnyAsync(n => n.Id == "node-a"));
    }

    [Fact]
    public async Task Sip_data_issued_on_node_a_registers_on_node_b_and_deleting_it_on_node_a_ends_the_registration_on_node_b()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);
        var mapOnB = cluster.B.Get<SipCredentialMap>();
        await Eventually.TrueAsync(async () => await mapOnB.FindAsync(user, CancellationToken.None) is not null, "the user known on node B", Patience);
        using var phone = new TestPhone(cluster.B.SipUdp, "127.0.0.1", user, password);
        Assert.Equal(200, await phone.RegisterAsync());

        await using (var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            await db.SipAccounts.Where(s => s.EmployeeId == ivan.EmployeeId).ExecuteDeleteAsync();
        }

        await cluster.A.Get<ISipAccountEvents>().OnAccountRemovedAsync(owner.AccountId, ivan.EmployeeId, user);

        await Eventually.TrueAsync(async () => await mapOnB.FindAsync(user, CancellationToken.None) is null, "the user forgotten on node B", Patience);
        await Eventually.TrueAsync(() => Task.FromResult(cluster.B.Get<LPTracker.Telephony.SipServer>().Locations.GetBindings(user).Count == 0), "node B's bindings of the user dropped", Patience);
        Assert.NotEqual(200, await phone.RegisterAsync());
    }

    /// <summary>The hub handshake completes before the server has put the connection in its groups (a database read and
    /// Redis subscriptions on a cluster): wait for the connection, then for its first group pass (revalidation queues
    /// behind it).</summary>
    private static async Task InItsGroupsAsync(ClusterNode node, int employeeId)
    {
        var connections = node.Get<HubConnections>();
        await Eventually.TrueAsync(() => Task.FromResult(connections.ConnectionCount(employeeId) > 0), "the hub connection registered", Patience);
        await connections.RevalidateAsync(employeeId);
    }

    private static NodeHeartbeat Heartbeat(ClusterNode node) => node.Get<IEnumerable<IHostedService>>().OfType<NodeHeartbeat>().Single();

    private static int Count(List<SipStatusEvent> events)
    {
        lock (events)
        {
            return events.Count;
        }
    }

    private async Task<string?> NodeOfBindingAsync(string user)
    {
        await using var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().CreateDbContextAsync();
        return await db.SipBindings.IgnoreQueryFilters().Where(b => b.UserName == user).Select(b => b.NodeId).FirstOrDefaultAsync();
    }

    private async Task PlantDeadNodeAsync(string node, int employeeId, int accountId, string user)
    {
        await using var db = await cluster.A.Get<IDbContextFactory<LptrackerDbContext>>().CreateDbContextAsync();
        var longAgo = DateTime.UtcNow.AddMinutes(-10);
        db.ClusterNodes.Add(new StoredNode { Id = node, SipAddress = "127.0.0.1:5099", StartedUtc = longAgo, LastSeenUtc = longAgo });
        db.SipBindings.Add(new SipBinding
        {
            UserName = user, EmployeeId = employeeId, AccountId = accountId, ContactUri = $"sip:{user}@127.0.0.1:5099", CallId = "c",
            CSeq = 1, ExpiresUtc = DateTime.UtcNow.AddHours(1), RegisteredUtc = longAgo, RemoteEndPoint = "udp:127.0.0.1:5099", NodeId = node,
        });
        await db.SaveChangesAsync();
    }
}
