using LPTracker.Core.Audit;

namespace LPTracker.Web.Admin;

/// <summary>Deletes audit records past <c>Audit:RetentionDays</c> shortly after start-up and then once a day.</summary>
public sealed class AuditRetentionService(AuditRetention retention, TimeProvider time, ILogger<AuditRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
        do
        {
            try
            {
                var deleted = await retention.PurgeAsync(stoppingToken);
                logger.LogInformation("Audit retention deleted {Count} old records", deleted);
            }
            catch (System.Data.Common.DbException ex)
            {
                logger.LogWarning(ex, "The audit retention run failed; it runs again tomorrow");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
