using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LPTracker.Telephony.Hosting;

/// <summary>The "sip" health check: healthy while every configured listener is bound; reports the endpoints.</summary>
internal sealed class SipHealthCheck(SipServer server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var bound = server.BoundEndpoints;
        var data = new Dictionary<string, object>
        {
            ["endpoints"] = bound.Select(b => b.ToString()).ToArray(),
            ["bindings"] = server.Locations.Count,
        };
        var result = server.IsRunning && bound.Count == server.ListenEndpoints.Count
            ? HealthCheckResult.Healthy($"SIP listening on {string.Join(", ", bound)}", data)
            : HealthCheckResult.Unhealthy("SIP listeners are not running", data: data);
        return Task.FromResult(result);
    }
}
