using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LPTracker.Web.ScaleOut;

/// <summary>The <c>redis</c> entry of <c>/health</c>: a PING round trip (live events and the key ring depend on it).</summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.Database.PingAsync();
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", ex);
        }
    }
}
