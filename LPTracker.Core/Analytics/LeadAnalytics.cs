using System.Globalization;
using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Analytics;

/// <summary>
/// Analytics of the current project (section Analytics), per employee: open and overdue leads now, step dates moved in
/// a period (with how many gave a reason, and the moves themselves on demand), leads won and lost in the period.
/// Without "see others" the caller gets only its own row and the pool's. Each figure is one grouped query in the
/// database, never a scan of rows in memory (decision 0022).
/// </summary>
public sealed class LeadAnalytics(IDbContextFactory<LptrackerDbContext> dbFactory, TimeProvider time, IStringLocalizer<LeadAnalytics> l)
{
    /// <summary>The table (and chart) of the current project for <paramref name="period"/>.</summary>
    public async Task<OperationResult<AnalyticsReport>> ReportAsync(CallerContext caller, AnalyticsPeriod period, CancellationToken ct = default)
    {
        if (Validate(period) is { } error)
        {
            return OperationResult<AnalyticsReport>.Fail("", error);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await ScopeAsync(db, caller, ct) is not { } scope)
        {
            return OperationResult<AnalyticsReport>.Fail("", l["Access.Denied"]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var projectId = scope.ProjectId;
        var me = scope.SeesOthers ? (int?)null : scope.EmployeeId;
        var open = await LiveLeads(db, projectId, me)
            .Where(x => x.Stage!.Kind == StageKind.Lead || x.Stage.Kind == StageKind.Deal)
            .GroupBy(x => x.OwnerId)
            .Select(g => new { Owner = g.Key, Open = g.Count(), Overdue = g.Count(x => x.StepDateUtc < now) })
            .ToListAsync(ct);
        var moves = await StepMoves(db, projectId, period, me)
            .GroupBy(c => c.EmployeeId)
            .Select(g => new { Employee = g.Key, Moves = g.Count(), WithReason = g.Count(c => c.Reason != null) })
            .ToListAsync(ct);
        var closed = await LiveLeads(db, projectId, me)
            .Where(x => (x.Stage!.Kind == StageKind.Won || x.Stage.Kind == StageKind.Lost)
                && db.LeadChanges.Any(c => c.LeadId == x.Id && c.Field == LeadField.Stage && c.NewValue == x.StageId.ToString()
                    && c.AtUtc >= period.FromUtc && c.AtUtc < period.ToUtc))
            .GroupBy(x => x.OwnerId)
            .Select(g => new { Owner = g.Key, Won = g.Count(x => x.Stage!.Kind == StageKind.Won), Lost = g.Count(x => x.Stage!.Kind == StageKind.Lost) })
            .ToListAsync(ct);
        var employees = await ContactQueries.ProjectEmployees(db, projectId)
            .Where(e => me == null || e.Id == me)
            .OrderBy(e => e.SortName).Select(e => new { e.Id, e.Name }).ToListAsync(ct);

        var rows = employees.Select(e =>
        {
            var o = open.Find(x => x.Owner == e.Id);
            var m = moves.Find(x => x.Employee == e.Id);
            var c = closed.Find(x => x.Owner == e.Id);
            return new EmployeeFigures(e.Id, e.Name, o?.Open ?? 0, o?.Overdue ?? 0, m?.Moves ?? 0, m?.WithReason ?? 0, c?.Won ?? 0, c?.Lost ?? 0);
        }).ToList();
        var pool = open.Find(x => x.Owner == null);
        rows.Add(new EmployeeFigures(null, null, pool?.Open ?? 0, pool?.Overdue ?? 0, 0, 0, 0, 0));
        return OperationResult<AnalyticsReport>.Ok(new AnalyticsReport(projectId, period, scope.SeesOthers, rows));
    }

    /// <summary>The step dates <paramref name="employeeId"/> moved in the period, newest first (another's needs "see others").</summary>
    public async Task<OperationResult<IReadOnlyList<StepMoveLine>>> StepMovesAsync(
        CallerContext caller, int employeeId, AnalyticsPeriod period, CancellationToken ct = default)
    {
        if (Validate(period) is { } error)
        {
            return OperationResult<IReadOnlyList<StepMoveLine>>.Fail("", error);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await ScopeAsync(db, caller, ct) is not { } scope || (!scope.SeesOthers && employeeId != scope.EmployeeId))
        {
            return OperationResult<IReadOnlyList<StepMoveLine>>.Fail("", l["Access.Denied"]);
        }

        var lines = await StepMoves(db, scope.ProjectId, period, employeeId)
            .OrderByDescending(c => c.AtUtc).ThenByDescending(c => c.Id).Take(MaxStepMoveLines)
            .Select(c => new { c.LeadId, c.Lead!.Title, c.AtUtc, c.OldValue, c.NewValue, c.Reason })
            .ToListAsync(ct);
        return OperationResult<IReadOnlyList<StepMoveLine>>.Ok(
            lines.Select(x => new StepMoveLine(x.LeadId, x.Title, x.AtUtc, Date(x.OldValue), Date(x.NewValue), x.Reason)).ToList());
    }

    /// <summary>The drill-down shows at most this many moves (the newest).</summary>
    public const int MaxStepMoveLines = 500;

    private string? Validate(AnalyticsPeriod period) =>
        period.ToUtc <= period.FromUtc || period.ToUtc - period.FromUtc > AnalyticsPeriod.MaxLength
            ? l["Analytics.BadPeriod", (int)AnalyticsPeriod.MaxLength.TotalDays].Value
            : null;

    private static async Task<CrmScope?> ScopeAsync(LptrackerDbContext db, CallerContext caller, CancellationToken ct) =>
        await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is { } projectId
            ? await CrmAccess.RequireAsync(db, caller, projectId, ProjectSections.Analytics, ct: ct)
            : null;

    // Without "see others", only the caller's own leads — and the pool, which every list shows it anyway.
    private static IQueryable<Lead> LiveLeads(LptrackerDbContext db, int projectId, int? me) =>
        db.Leads.Where(x => x.ProjectId == projectId && !x.IsDeleted && (me == null || x.OwnerId == me || x.OwnerId == null));

    // A move changes an existing step date (setting the first one is not a move); deleted leads keep their history.
    private static IQueryable<LeadChange> StepMoves(LptrackerDbContext db, int projectId, AnalyticsPeriod period, int? employeeId) =>
        db.LeadChanges.Where(c => c.Field == LeadField.StepDate && c.OldValue != null && c.AtUtc >= period.FromUtc && c.AtUtc < period.ToUtc
            && c.Lead!.ProjectId == projectId && (employeeId == null || c.EmployeeId == employeeId));

    private static DateTime? Date(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) ? d : null;
}
