using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Leads;

/// <summary>
/// Reads one page of a leads list in the list's order — dated leads by step date (ties: newest first), then undated
/// ones newest first — without sorting every visible lead: at 100,000 leads a page must cost its own rows.
/// </summary>
internal static class LeadListPager
{
    /// <summary>A row of the page as read, before the stage's name and kind are put on it.</summary>
    internal sealed record PageRow(int Id, string Title, int StageId, DateTime? StepDateUtc, decimal? Amount, string? ContactName, string? Company, string? Owner);

    /// <summary>The page's rows in list order and the total of <paramref name="filtered"/>.</summary>
    public static async Task<(List<PageRow> Rows, int Total)> ReadAsync(
        LptrackerDbContext db, IQueryable<Lead> filtered, bool searching, int skip, int take, CancellationToken ct)
    {
        var (ids, total) = searching ? await ScanAsync(filtered, skip, take, ct) : await SeekAsync(filtered, skip, take, ct);
        if (ids.Count == 0)
        {
            return ([], total);
        }

        var rows = await db.Leads.AsNoTracking().Where(x => ids.Contains(x.Id))
            .Select(x => new PageRow(
                x.Id, x.Title, x.StageId, x.StepDateUtc, x.Amount,
                db.Contacts.Where(c => c.Id == x.ContactId).Select(c => c.Name).FirstOrDefault(),
                db.Contacts.Where(c => c.Id == x.ContactId).Select(c => c.Company).FirstOrDefault(),
                db.Employees.Where(e => e.Id == x.OwnerId).Select(e => e.Name).FirstOrDefault()))
            .ToDictionaryAsync(r => r.Id, ct);
        return ([.. ids.Where(rows.ContainsKey).Select(id => rows[id])], total);
    }

    // Without a search every filter is a column of the step-date index (IX_Leads_ListOrder): the ids are read from it
    // alone, as two ranges already in order (dated, then undated), and the total from the counting index. Where the
    // undated ones begin is counted only for a page that starts among them.
    private static async Task<(List<int> Ids, int Total)> SeekAsync(IQueryable<Lead> filtered, int skip, int take, CancellationToken ct)
    {
        var total = await filtered.CountAsync(ct);
        if (total <= skip)
        {
            return ([], total);
        }

        var ids = await filtered.Where(x => x.StepDateUtc != null).OrderBy(x => x.StepDateUtc).ThenByDescending(x => x.Id)
            .Skip(skip).Take(take).Select(x => x.Id).ToListAsync(ct);
        if (ids.Count < take && skip + ids.Count < total)
        {
            var undatedSkip = ids.Count > 0 ? 0 : skip - await filtered.CountAsync(x => x.StepDateUtc != null, ct);
            ids.AddRange(await filtered.Where(x => x.StepDateUtc == null).OrderByDescending(x => x.Id)
                .Skip(undatedSkip).Take(take - ids.Count).Select(x => x.Id).ToListAsync(ct));
        }

        return (ids, total);
    }

    // A substring search has no index: every visible lead's text is read anyway. One pass then gives the total and the
    // page (ordered here), where the seek would read them twice, once to count and once to page.
    private static async Task<(List<int> Ids, int Total)> ScanAsync(IQueryable<Lead> filtered, int skip, int take, CancellationToken ct)
    {
        var found = await filtered.Select(x => new { x.Id, x.StepDateUtc }).ToListAsync(ct);
        var page = found.OrderBy(x => x.StepDateUtc is null).ThenBy(x => x.StepDateUtc).ThenByDescending(x => x.Id)
            .Skip(skip).Take(take).Select(x => x.Id).ToList();
        return (page, found.Count);
    }
}
