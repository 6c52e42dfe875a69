using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Notifications;

/// <summary>Deletes notifications not raised again for <c>Notifications:RetentionDays</c>, for every account.</summary>
public sealed class NotificationRetention(IDbContextFactory<LptrackerDbContext> dbFactory, IOptions<NotificationOptions> options, TimeProvider time)
{
    /// <summary>Returns how many notifications were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, options.Value.RetentionDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.IgnoreQueryFilters().Where(n => n.LastUtc < cutoff).ExecuteDeleteAsync(ct);
    }
}
