using LPTracker.Core.Audit;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Audit;

/// <summary>Reads the audit log straight from the database (bypassing the page's access rules).</summary>
internal static class AuditArrange
{
    public static async Task<List<AuditRecord>> AuditAsync(this CoreTestHost host, int accountId, AuditAction? action = null)
    {
        await using var db = host.OpenSystemContext();
        return await db.AuditRecords.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.AccountId == accountId && (action == null || r.Action == action))
            .OrderBy(r => r.Id).ToListAsync();
    }
}
