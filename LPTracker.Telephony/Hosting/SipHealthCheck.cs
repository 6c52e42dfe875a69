using LPTracker.Telephony.Registrar;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LPTracker.Telephony.Hosting;

/// <summary>
/// The "sip" health check: healthy while every configured listener is bound. Its details (for administrators) report
/// the endpoints, the bindings' reachability as qualify last saw it, and the bans in force (who, why, until).
/// </summary>
internal sealed class SipHealthCheck(SipServer server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var bound = server.BoundEndpoints;
        var data = new Dictionary<string, object>
        {
            ["endpoints"] = bound.Select(b => b.ToString()).ToArray(),
            ["bindings"] = server.Locations.Count,
            ["qualify"] = QualifySummary(server.Locations.GetAll()),
            ["bans"] = server.Bans.Active().Take(100)
                .Select(b => $"{b.Address} {b.User ?? "*"} {b.Reason} {b.Failures} until {b.Until.UtcDateTime:u}").ToArray(),
        };
        var result = server.IsRunning && bound.Count == server.ListenEndpoints.Count
            ? HealthCheckResult.Healthy($"SIP listening on {string.Join(", ", bound)}", data)
            : HealthCheckResult.Unhealthy("SIP listeners are not running", data: data);
        return Task.FromResult(result);
    }

    private static Dictionary<string, object> QualifySummary(IReadOnlyList<SipBinding> bindings)
    {
        var rtts = bindings.Where(b => b.RoundTrip is not null).Select(b => b.RoundTrip!.Value.TotalMilliseconds).Order().ToList();
        return new Dictionary<string, object>
        {
            ["reachable"] = bindings.Count(b => b.Reachability == Reachability.Reachable),
            ["unreachable"] = bindings.Count(b => b.Reachability == Reachability.Unreachable),
            ["unknown"] = bindings.Count(b => b.Reachability == Reachability.Unknown),

            // Bindings whose latest ping(s) went unanswered, reachable or not yet: the early sign of a flaky network.
            ["missingPings"] = bindings.Count(b => b.MissedPings > 0),
            ["medianRttMs"] = Percentile(rtts, 0.5),
            ["p90RttMs"] = Percentile(rtts, 0.9),
            ["p99RttMs"] = Percentile(rtts, 0.99),
            ["maxRttMs"] = rtts.Count == 0 ? 0 : Math.Round(rtts[^1], 1),
        };
    }

    /// <summary>Nearest-rank percentile of sorted values (0 when there are none).</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);
}
