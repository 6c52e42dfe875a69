using LPTracker.Core.Crm;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Leads;

/// <summary>A lead opened by id, or the catalogue key of why it may not be.</summary>
internal sealed record LeadAccess(Lead? Lead, CrmScope? Scope, string? Error)
{
    /// <summary>
    /// Opens a live lead by id for the caller: the section of its stage's view in its project, and the visibility rules
    /// (see others, the overdue gate) — a lead hidden from the list is refused by id as well.
    /// </summary>
    public static async Task<LeadAccess> OpenAsync(LptrackerDbContext db, CallerContext caller, int id, DateTime nowUtc, CancellationToken ct, bool tracked = false)
    {
        var query = db.Leads.Include(x => x.Stage).Where(x => x.Id == id && !x.IsDeleted);
        var lead = await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(ct);
        if (lead is null)
        {
            return new LeadAccess(null, null, "Lead.NotFound");
        }

        var scope = await CrmAccess.RequireAsync(db, caller, lead.ProjectId, LeadVisibility.SectionOf(lead.Stage!.Kind), ct: ct);
        if (scope is null || !await (await LeadVisibility.ForAsync(db, scope, nowUtc, ct)).Leads.AnyAsync(x => x.Id == id, ct))
        {
            return new LeadAccess(null, null, "Access.Denied");
        }

        return new LeadAccess(lead, scope, null);
    }
}
