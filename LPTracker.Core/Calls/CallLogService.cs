using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Calls;

/// <summary>
/// The call log (Телефония → Журнал звонков). With the Telephony section the viewer sees every call of the
/// account; without it, only the calls they took part in. Client numbers are withheld from an employee who hides
/// them — on the server, so the page never has them.
/// </summary>
public sealed class CallLogService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    IStringLocalizer<CallLogService> l)
{
    /// <summary>One page, newest first, with each call's legs.</summary>
    public async Task<OperationResult<CallLogPage>> LoadAsync(CallerContext caller, CallLogQuery query, CancellationToken ct = default)
    {
        if (await ViewerAsync(caller, ct) is not { } viewer)
        {
            return OperationResult<CallLogPage>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var calls = VisibleCalls(db, viewer);
        if (query.MissedOnly)
        {
            calls = calls.Where(c => c.Direction == CallDirection.Inbound && c.EndedUtc != null && c.AnsweredByEmployeeId == null);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, CallLogQuery.MaxPageSize);
        var total = await calls.CountAsync(ct);
        var page = await calls.OrderByDescending(c => c.StartedUtc).ThenBy(c => c.Id)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Select(c => new
            {
                Call = c,
                Project = db.Projects.Where(p => p.Id == c.ProjectId).Select(p => p.Name).FirstOrDefault(),
                AnsweredBy = db.Employees.Where(e => e.Id == c.AnsweredByEmployeeId).Select(e => e.Name).FirstOrDefault(),
                Legs = c.Legs.OrderBy(x => x.StartedUtc)
                    .Select(x => new CallLegRow(x.Id, x.EmployeeId, db.Employees.Where(e => e.Id == x.EmployeeId).Select(e => e.Name).FirstOrDefault(),
                        x.StartedUtc, x.AnsweredUtc, x.EndedUtc, x.Outcome))
                    .ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);

        var rows = page.Select(r => new CallLogRow(
            r.Call.Id, r.Call.Direction, viewer.HidesNumbers ? null : r.Call.ClientNumber, viewer.HidesNumbers, r.Call.DialledNumber,
            r.Project, r.Call.StartedUtc, r.Call.AnsweredUtc, r.Call.EndedUtc, r.Call.Outcome, r.AnsweredBy, r.Call.IsMissed, r.Legs)).ToList();
        return OperationResult<CallLogPage>.Ok(new CallLogPage(rows, total, viewer.AllCalls));
    }

    /// <summary>The calls the viewer may see: every call with Telephony, else the ones they took part in.</summary>
    internal static IQueryable<Call> VisibleCalls(LptrackerDbContext db, CallLogViewer viewer) =>
        viewer.AllCalls
            ? db.Calls.AsNoTracking()
            : db.Calls.AsNoTracking().Where(c => c.InitiatorEmployeeId == viewer.EmployeeId
                || c.AnsweredByEmployeeId == viewer.EmployeeId
                || c.Legs.Any(x => x.EmployeeId == viewer.EmployeeId));

    /// <summary>Who looks at the log: their reach and whether they hide client numbers; null when they no longer exist.</summary>
    internal async Task<CallLogViewer?> ViewerAsync(CallerContext caller, CancellationToken ct)
    {
        if (await access.GetProfileAsync(caller, ct) is not { } profile)
        {
            return null;
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var hides = await db.Employees.Where(e => e.Id == caller.EmployeeId).Select(e => e.HideClientNumber).SingleOrDefaultAsync(ct);
        return new CallLogViewer(caller.EmployeeId, profile.Has(CommonSections.Telephony), hides, profile.CurrentProject?.Id);
    }
}

/// <summary>A viewer of the call log.</summary>
internal sealed record CallLogViewer(int EmployeeId, bool AllCalls, bool HidesNumbers, int? CurrentProjectId);
