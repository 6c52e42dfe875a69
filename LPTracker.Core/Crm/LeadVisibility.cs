using System.Linq.Expressions;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Crm;

/// <summary>The leads a caller may see, and why some are hidden.</summary>
/// <param name="Leads">The visible leads (not yet narrowed to a view or filter).</param>
/// <param name="GatedOverdue">When above 0, the overdue gate is closed: only this many own overdue leads show.</param>
internal sealed record VisibleLeads(IQueryable<Lead> Leads, int GatedOverdue);

/// <summary>
/// The rules that decide which leads (= deals) a scope sees, applied in the database at query time so every entry
/// point (list, card, counters, export, analytics) agrees:
/// without "see others" — own and pool leads only; without "see new leads while having unprocessed" — an employee with
/// at least one own overdue lead sees only those, until none is overdue.
/// </summary>
internal static class LeadVisibility
{
    /// <summary>An open stage (not won or lost) and a step date in the past.</summary>
    public static Expression<Func<Lead, bool>> Overdue(DateTime nowUtc) =>
        l => l.StepDateUtc < nowUtc && (l.Stage!.Kind == StageKind.Lead || l.Stage.Kind == StageKind.Deal);

    public static async Task<VisibleLeads> ForAsync(LptrackerDbContext db, CrmScope scope, DateTime nowUtc, CancellationToken ct)
    {
        var live = db.Leads.Where(l => l.ProjectId == scope.ProjectId && !l.IsDeleted);
        if (!scope.Has(EmployeePermissions.SeeNewLeadsWithUnprocessed))
        {
            var overdue = live.Where(l => l.OwnerId == scope.EmployeeId).Where(Overdue(nowUtc));
            var count = await overdue.CountAsync(ct);
            if (count > 0)
            {
                return new VisibleLeads(overdue, count);
            }
        }

        return new VisibleLeads(scope.SeesOthers ? live : live.Where(l => l.OwnerId == null || l.OwnerId == scope.EmployeeId), 0);
    }

    /// <summary>The section a stage's leads need: Leads for lead stages, Deals for deal and final stages.</summary>
    public static ProjectSections SectionOf(StageKind kind) => kind == StageKind.Lead ? ProjectSections.Leads : ProjectSections.Deals;
}
