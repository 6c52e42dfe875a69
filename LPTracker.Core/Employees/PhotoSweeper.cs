using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LPTracker.Core.Employees;

/// <summary>
/// Deletes photo files no employee refers to: uploads abandoned without saving, and files left behind when a
/// delete could not remove them. Only files older than <see cref="MinAge"/> go, so an upload whose form is still
/// open is never taken away.
/// </summary>
public sealed class PhotoSweeper(
    IDbContextFactory<LptrackerDbContext> dbFactory, PhotoService photos, TimeProvider time, ILogger<PhotoSweeper> logger)
{
    public static readonly TimeSpan MinAge = TimeSpan.FromDays(1);

    /// <summary>Removes the orphans; returns how many files went.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - MinAge;
        var candidates = photos.ListStored().Where(f => f.WrittenUtc < cutoff).Select(f => f.Name).ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var referenced = await db.Employees.IgnoreQueryFilters()
            .Where(e => e.PhotoFile != null && candidates.Contains(e.PhotoFile))
            .Select(e => e.PhotoFile!).ToListAsync(ct);
        var orphans = candidates.Except(referenced, StringComparer.Ordinal).ToList();
        foreach (var name in orphans)
        {
            photos.Delete(name);
        }

        if (orphans.Count > 0)
        {
            logger.LogInformation("Removed {Count} photo files no employee refers to", orphans.Count);
        }

        return orphans.Count;
    }
}
