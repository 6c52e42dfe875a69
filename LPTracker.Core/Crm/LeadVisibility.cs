using System.Linq.Expressions;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Crm;

/// <summary>The leads a caller may see, and why some are hidden.</summary>
/// <param name="Leads">The visible leads (not yet narrowed to a view or filter).</param>
/// <param name="GatedOverdue">When above 0, the overdue gate is closed: only this many own overdue leads show.</param>
/// <param name="Stages">The project's funnel, in order (the views and "overdue" are sets of its stage ids).</param>
internal sealed record VisibleLeads(IQueryable<Lead> Leads, int GatedOverdue, IReadOnlyList<FunnelStage> Stages);

/// <summary>
/// The rules that decide which leads (= deals) a scope sees, applied in the database at query time so every entry
/// point (list, card, counters, export, analytics) agrees:
/// without "see others" — own and pool leads only; without "see new leads while having unprocessed" — an employee with
/// at least one own overdue lead sees only those, until none is overdue.
/// Stage kinds are tested as sets of the project's stage ids, never through a join with the stages: the lists' indexes
/// hold the stage id, so a page and its total are read from them without a sort or a visit to the table.
/// </summary>
internal static class LeadVisibility
{
    /// <summary>
    /// Live leads of a project. <c>IsDeleted</c> is compared with a parameter on purpose: EF writes <c>!IsDeleted</c> as
    /// <c>NOT "IsDeleted"</c>, which SQLite cannot match to the third column of the lists' indexes (it then reads every
    /// lead of the account); <c>"IsDeleted" = @live</c> it can.
    /// </summary>
    public static IQueryable<Lead> Live(LptrackerDbContext db, int projectId)
    {
        var deleted = false;
        return db.Leads.Where(l => l.ProjectId == projectId && l.IsDeleted == deleted);
    }

    /// <summary>The stages whose leads can be overdue: open ones (not won or lost).</summary>
    public static List<int> OpenStageIds(IEnumerable<FunnelStage> stages) =>
        [.. stages.Where(s => s.Kind is StageKind.Lead or StageKind.Deal).Select(s => s.Id)];

    /// <summary>The stages a view lists: Leads the lead stages, Deals the deal and final ones.</summary>
    public static List<int> ViewStageIds(IEnumerable<FunnelStage> stages, LeadView view) =>
        [.. stages.Where(s => (s.Kind == StageKind.Lead) == (view == LeadView.Leads)).Select(s => s.Id)];

    /// <summary>An open stage (not won or lost, <paramref name="openStageIds"/>) and a step date in the past.</summary>
    public static Expression<Func<Lead, bool>> Overdue(List<int> openStageIds, DateTime nowUtc) =>
        l => l.StepDateUtc < nowUtc && openStageIds.Contains(l.StageId);

    /// <summary>As the other overload, reading the project's funnel first.</summary>
    public static async Task<VisibleLeads> ForAsync(LptrackerDbContext db, CrmScope scope, DateTime nowUtc, CancellationToken ct) =>
        await ForAsync(db, scope, await db.Stages.AsNoTracking().Where(s => s.ProjectId == scope.ProjectId).OrderBy(s => s.Order).ToListAsync(ct), nowUtc, ct);

    public static async Task<VisibleLeads> ForAsync(LptrackerDbContext db, CrmScope scope, IReadOnlyList<FunnelStage> stages, DateTime nowUtc, CancellationToken ct)
    {
        var live = Live(db, scope.ProjectId);
        if (!scope.Has(EmployeePermissions.SeeNewLeadsWithUnprocessed))
        {
            var overdue = live.Where(l => l.OwnerId == scope.EmployeeId).Where(Overdue(OpenStageIds(stages), nowUtc));
            var count = await overdue.CountAsync(ct);
            if (count > 0)
            {
                return new VisibleLeads(overdue, count, stages);
            }
        }

        return new VisibleLeads(scope.SeesOthers ? live : live.Where(l => l.OwnerId == null || l.OwnerId == scope.EmployeeId), 0, stages);
    }

    /// <summary>The section a stage's leads need: Leads for lead stages, Deals for deal and final stages.</summary>
    public static ProjectSections SectionOf(StageKind kind) => kind == StageKind.Lead ? ProjectSections.Leads : ProjectSections.Deals;
}
