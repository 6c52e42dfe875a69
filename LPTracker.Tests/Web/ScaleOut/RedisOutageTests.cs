using LPTracker.Tests.Infrastructure;
using LPTracker.Web.ScaleOut;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Tests.Web.ScaleOut;

/// <summary>A node whose Redis went away first (a deployment being shut down in the wrong order, an outage).</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task A_node_stops_cleanly_when_redis_is_already_gone()
    {
        var redis = await RedisTestServer.StartAsync();
        var node = new ClusterNode("solo");
        node.Cluster["Redis:Configuration"] = redis.Configuration;
        await node.InitializeAsync();
        try
        {
            var relay = node.Get<IEnumerable<IHostedService>>().OfType<RedisLiveRelay>().Single();
            redis.Freeze();

            // Stopping used to throw (UNSUBSCRIBE timing out, or failing on a connection closed under it), which made
            // the host's stop fail and the process abort (exit 134) instead of exiting.
            await relay.StopAsync(CancellationToken.None);
        }
        finally
        {
            await redis.DisposeAsync();
            await node.DisposeAsync();
        }
    }
}
