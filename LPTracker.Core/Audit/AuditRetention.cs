using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Audit;

/// <summary>The <c>Audit</c> configuration section.</summary>
public sealed class AuditOptions
{
    /// <summary>Records older than this many days are deleted (<c>Audit:RetentionDays</c>, default 365).</summary>
    public int RetentionDays { get; set; } = 365;
}

/// <summary>Deletes audit records past the retention period, for every account (system work, one named place).</summary>
public sealed class AuditRetention(IDbContextFactory<LptrackerDbContext> dbFactory, IOptions<AuditOptions> options, TimeProvider time)
{
    /// <summary>Returns how many records were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, options.Value.RetentionDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditRecords.IgnoreQueryFilters().Where(r => r.OccurredUtc < cutoff).ExecuteDeleteAsync(ct);
    }
}
