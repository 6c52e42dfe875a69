using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;

namespace LPTracker.Tests.Web.ScaleOut;

/// <summary>
/// Two console nodes (real web apps with their SIP stacks, each its own data folder) on one database of the run's
/// private PostgreSQL and one private Redis: what a deployment behind a load balancer looks like.
/// </summary>
public class TwoNodeCluster : IAsyncLifetime
{
    private RedisTestServer? _redis;

    public ClusterNode A { get; } = new("node-a");

    public ClusterNode B { get; } = new("node-b");

    public async Task InitializeAsync()
    {
        _redis = await RedisTestServer.StartAsync();
        var database = await (await PostgresTestServer.SharedAsync()).CreateDatabaseAsync();
        foreach (var node in (ClusterNode[])[A, B])
        {
            node.Cluster["Database:Provider"] = "Postgres";
            node.Cluster["ConnectionStrings:Lptracker"] = database;
            node.Cluster["Redis:Configuration"] = _redis.Configuration;
            Configure(node.Cluster);
            await node.InitializeAsync();
        }
    }

    /// <summary>Adds settings both nodes share (a derived fixture's trunk, timers) before they start.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        try
        {
            await A.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // A test stopped node A on purpose (a node that goes away): its host is already torn down.
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}

/// <summary>One node of a <see cref="TwoNodeCluster"/>.</summary>
public sealed class ClusterNode(string id) : TelephonyAppFixture
{
    /// <summary>Settings shared by the cluster's nodes (database, Redis), set before start.</summary>
    public Dictionary<string, string?> Cluster { get; } = new() { ["Node:Id"] = id, ["Health:Token"] = HealthToken };

    public const string HealthToken = "health-secret-0123456789";

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>(base.ExtraSettings);
            foreach (var (key, value) in Cluster)
            {
                settings[key] = value;
            }

            return settings;
        }
    }
}
