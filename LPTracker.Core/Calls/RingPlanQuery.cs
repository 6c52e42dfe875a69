using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Calls;

/// <summary>An employee the PBX may ring, with what it needs to reach them.</summary>
/// <param name="EmployeeId">The employee.</param>
/// <param name="Method">SIP, mobile or LPTracker SIM.</param>
/// <param name="SipUserName">Their SIP login, or null when SIP data was never generated.</param>
/// <param name="MobileE164">The Phone field (E.164), or null.</param>
/// <param name="SimE164">The LPTracker SIM number, or null.</param>
/// <param name="HideClientNumber">Show them <see cref="IncomingCallerIdRules.HiddenClientNumber"/> instead of the client.</param>
public sealed record RingEmployee(int EmployeeId, CallReceivingMethod Method, string? SipUserName, string? MobileE164, string? SimE164,
    bool HideClientNumber);

/// <summary>What a call to one virtual number rings: the account, its project, the project's call strategy and the
/// employees Working there, in a stable order (the main account first, then by id) for "in turn".</summary>
/// <param name="AccountId">The account owning the number.</param>
/// <param name="ProjectId">The number's project, or null when it is bound to none (then the main account rings).</param>
/// <param name="DialledE164">The virtual number.</param>
/// <param name="Mode">All at once or in turn.</param>
/// <param name="RingTimeoutSeconds">How long each step rings.</param>
/// <param name="Employees">Working employees, in ring order.</param>
public sealed record RingPlanData(int AccountId, int? ProjectId, string DialledE164, RingMode Mode, int RingTimeoutSeconds,
    IReadOnlyList<RingEmployee> Employees);

/// <summary>
/// The PBX's reads: who rings for a dialled number, one employee's reachability, and which numbers are ours. One query
/// per call; the number lookup is system-wide (a trunk call names no account), everything after it is tenant-scoped.
/// </summary>
public sealed class RingPlanQuery(IDbContextFactory<LptrackerDbContext> dbFactory)
{
    /// <summary>The plan for a dialled virtual number (E.164), or null when the number belongs to no account.</summary>
    public async Task<RingPlanData?> FindAsync(string dialledE164, CancellationToken ct = default)
    {
        int accountId;
        int? projectId;
        await using (var system = await dbFactory.CreateDbContextAsync(ct))
        {
            // The one system-wide read of the PBX: a trunk call names a number, not an account.
            var number = await system.Numbers.IgnoreQueryFilters().AsNoTracking().Where(n => n.E164 == dialledE164)
                .Select(n => new { n.AccountId, n.ProjectId }).SingleOrDefaultAsync(ct);
            if (number is null)
            {
                return null;
            }

            (accountId, projectId) = (number.AccountId, number.ProjectId);
        }

        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        var mainId = await db.Employees.Where(e => e.IsMain).Select(e => e.Id).SingleAsync(ct);
        if (projectId is not { } p || await db.Projects.AsNoTracking().SingleOrDefaultAsync(x => x.Id == p, ct) is not { } project)
        {
            var main = await Targets(db, db.Employees.Where(e => e.Id == mainId && e.IsEnabled), ct);
            return new RingPlanData(accountId, null, dialledE164, RingMode.Simultaneous, CallStrategyValidator.DefaultTimeout, main);
        }

        var working = await Targets(db, db.Employees.Where(EmployeeStatusRules.WorkingIn(db, project.Id, mainId))
            .OrderByDescending(e => e.IsMain).ThenBy(e => e.Id), ct);
        return new RingPlanData(accountId, project.Id, dialledE164, project.RingMode, project.RingTimeoutSeconds, working);
    }

    /// <summary>One employee of an account (click-to-call, internal calls), or null.</summary>
    public async Task<RingEmployee?> FindEmployeeAsync(int accountId, int employeeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        var list = await Targets(db, db.Employees.Where(e => e.Id == employeeId), ct);
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>True when the number is any account's virtual number (the loop guard: we never dial ourselves).</summary>
    public async Task<bool> IsVirtualNumberAsync(string e164, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Numbers.IgnoreQueryFilters().AnyAsync(n => n.E164 == e164, ct);
    }

    private static Task<List<RingEmployee>> Targets(LptrackerDbContext db, IQueryable<Employee> employees, CancellationToken ct) =>
        employees.Select(e => new RingEmployee(e.Id, e.CallReceiving,
                db.SipAccounts.Where(s => s.EmployeeId == e.Id).Select(s => s.UserName).FirstOrDefault(),
                e.Phone, e.SimNumber, e.HideClientNumber))
            .ToListAsync(ct);
}
