using LPTracker.Core.Notifications;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>Deletes history rows older than <c>RegistrationHistory:RetentionDays</c>, for every account.</summary>
public sealed class RegistrationHistoryRetention(
    IDbContextFactory<LptrackerDbContext> dbFactory, IOptions<RegistrationHistoryOptions> options, TimeProvider time)
{
    /// <summary>Returns how many rows were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, options.Value.RetentionDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RegistrationEntries.IgnoreQueryFilters().Where(r => r.AtUtc < cutoff).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Runs the history's and the notifications' retention at start-up and then once a day.</summary>
public sealed class AdministrationRetentionService(
    RegistrationHistoryRetention history, NotificationRetention notifications, TimeProvider time,
    ILogger<AdministrationRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
        do
        {
            try
            {
                var rows = await history.PurgeAsync(stoppingToken);
                var notes = await notifications.PurgeAsync(stoppingToken);
                logger.LogInformation("Retention deleted {Rows} registration history rows and {Notes} notifications", rows, notes);
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The registration history / notifications retention failed; it runs again tomorrow");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
