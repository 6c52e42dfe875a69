using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Calls;

/// <summary>The <c>Calls</c> configuration section.</summary>
public sealed class CallLogOptions
{
    /// <summary>Days a call stays in the log (<c>Calls:RetentionDays</c>); 0 keeps calls for ever.</summary>
    public int RetentionDays { get; set; } = 365;
}

/// <summary>Deletes calls older than the retention period, across all accounts (system work, one named place).</summary>
public sealed class CallLogRetention(IDbContextFactory<LptrackerDbContext> dbFactory, IOptions<CallLogOptions> options, TimeProvider time)
{
    /// <summary>Deletes the expired calls with their legs; returns how many calls went.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        if (options.Value.RetentionDays <= 0)
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expired = db.Calls.IgnoreQueryFilters().Where(c => c.StartedUtc < cutoff);
        await db.CallLegs.IgnoreQueryFilters().Where(l => expired.Any(c => c.Id == l.CallId)).ExecuteDeleteAsync(ct);
        return await expired.ExecuteDeleteAsync(ct);
    }
}

/// <summary>Runs the call log's retention sweep at start-up and then once a day.</summary>
public sealed class CallLogRetentionService(CallLogRetention retention, TimeProvider time, ILogger<CallLogRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
        do
        {
            try
            {
                var deleted = await retention.SweepAsync(stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Call log retention deleted {Count} calls", deleted);
                }
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The call log retention sweep failed; it runs again tomorrow");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
