using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace LPTracker.Core.Employees;

/// <summary>
/// The Employees list: one page at a time (search, sort and paging run in the database), the call/request switch
/// and delete. Every method checks the Employees common section itself; hidden buttons are not the guard.
/// </summary>
public sealed class EmployeeListService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    ISipPresenceSource presence,
    ChangeNotifier notifier,
    IEmployeePhotoCleanup photos,
    ISipAccountEvents sipEvents,
    IStringLocalizer<EmployeeListService> l,
    ILogger<EmployeeListService> logger)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _mainIds = new();

    /// <summary>One page of the list with the current project's counters.</summary>
    public async Task<OperationResult<EmployeeListPage>> LoadAsync(
        CallerContext caller, EmployeeListQuery query, CancellationToken ct = default)
    {
        // Checked before anything touches the database: a 10,000-character term is refused, not truncated silently.
        if (query.Search is { Length: > Limits.SearchTerm })
        {
            return OperationResult<EmployeeListPage>.Fail(nameof(query.Search), l["EmployeeList.Error.SearchTooLong", Limits.SearchTerm]);
        }

        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } me)
        {
            return OperationResult<EmployeeListPage>.Fail("", l["Access.Denied"]);
        }

        var project = me.CurrentProject;
        var projectId = project?.Id ?? 0;
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var mainId = me.IsMain ? me.EmployeeId : await MainIdAsync(db, caller.AccountId, ct);
        var filtered = Filter(db, query, project, mainId);
        var total = await filtered.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, EmployeeListQuery.MaxPageSize);
        var skip = Math.Max(0, query.Page) * pageSize;
        var rows = await Sort(filtered, query.SortBy, query.Descending)
            .Skip(skip)
            .Take(pageSize)
            .Select(e => new
            {
                e.Id, e.Name, e.Login, e.Position, e.LastLoginUtc, HasPhoto = e.PhotoFile != null, e.IsMain, e.IsEnabled,
                e.Version,
                HasAccess = e.Memberships.Any(m => m.ProjectId == projectId && m.HasAccess),
                TakesCalls = e.Memberships.Any(m => m.ProjectId == projectId && m.TakesCalls),
                HasSip = db.SipAccounts.Any(s => s.EmployeeId == e.Id),
            })
            .ToListAsync(ct);

        var result = rows.Select(r => new EmployeeListRow(
            r.Id, r.Name, r.Login, r.Position, r.LastLoginUtc, r.HasPhoto, r.IsMain, r.IsEnabled,
            project is null ? WorkStatus.NotWorking : EmployeeStatusRules.StatusIn(r.IsEnabled, r.IsMain, new MembershipFlags(r.HasAccess, r.TakesCalls)),
            r.HasSip ? presence.Get(r.Id) : new SipPresence(SipStatus.NotCreated),
            DeleteBlockedReason(me, r.Id, r.IsMain),
            ToggleBlockedReason(me, r.IsMain),
            r.Version)).ToList();
        var counters = project is null ? new EmployeeListCounters(0, 0, 0) : await CountAsync(db, project.Id, mainId, ct);
        var changed = query.ExpectedProjectId is { } expected && expected != project?.Id;
        return OperationResult<EmployeeListPage>.Ok(new EmployeeListPage(result, total, counters, project, changed));
    }

    /// <summary>The call/request switch: changes only <see cref="Employee.IsEnabled"/>.</summary>
    public async Task<OperationResult> SetEnabledAsync(
        CallerContext caller, int employeeId, bool enabled, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } me)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var target = await db.Employees.Where(e => e.Id == employeeId)
            .Select(e => new { e.IsMain, e.IsEnabled }).SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return OperationResult.Fail("", l["EmployeeList.Error.NotFound"]);
        }

        if (ToggleBlockedReason(me, target.IsMain) is { } blocked)
        {
            return OperationResult.Fail("", blocked);
        }

        if (target.IsEnabled == enabled)
        {
            return OperationResult.Ok();
        }

        // A new Version: an editor form opened before the switch must not save over it unnoticed.
        var version = Guid.NewGuid();
        var updated = await db.Employees.Where(e => e.Id == employeeId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.IsEnabled, enabled).SetProperty(e => e.Version, version), ct);
        if (updated == 0)
        {
            return OperationResult.Fail("", l["EmployeeList.Error.NotFound"]);
        }

        notifier.Publish(new EmployeeChange(caller.AccountId, employeeId, EmployeeChangeKind.SwitchToggled));
        return OperationResult.Ok();
    }

    /// <summary>
    /// Deletes an employee with their memberships, SIP account and bindings, then the photo file. Their sessions
    /// end because sessions revalidate against the employee row.
    /// </summary>
    public async Task<OperationResult> DeleteAsync(CallerContext caller, int employeeId, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } me)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var target = await db.Employees.Where(e => e.Id == employeeId)
            .Select(e => new { e.IsMain, e.PhotoFile, SipUser = db.SipAccounts.Where(s => s.EmployeeId == e.Id).Select(s => s.UserName).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return OperationResult.Fail("", l["EmployeeList.Error.NotFound"]);
        }

        if (DeleteBlockedReason(me, employeeId, target.IsMain) is { } blocked)
        {
            return OperationResult.Fail("", blocked);
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SipBindings.Where(b => b.EmployeeId == employeeId).ExecuteDeleteAsync(ct);
            await db.SipAccounts.Where(s => s.EmployeeId == employeeId).ExecuteDeleteAsync(ct);
            await db.Memberships.Where(m => m.EmployeeId == employeeId).ExecuteDeleteAsync(ct);
            if (await db.Employees.Where(e => e.Id == employeeId).ExecuteDeleteAsync(ct) == 0)
            {
                return OperationResult.Fail("", l["EmployeeList.Error.NotFound"]);
            }

            await tx.CommitAsync(ct);
        }

        if (target.PhotoFile is { } photo)
        {
            try
            {
                photos.Delete(photo);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Photo {File} of deleted employee {Employee} was left behind", photo, employeeId);
            }
        }

        if (target.SipUser is { } sipUser)
        {
            await sipEvents.OnAccountRemovedAsync(caller.AccountId, employeeId, sipUser, ct);
        }

        notifier.Publish(new EmployeeChange(caller.AccountId, employeeId, EmployeeChangeKind.Deleted));
        return OperationResult.Ok();
    }

    private static IQueryable<Employee> Filter(LptrackerDbContext db, EmployeeListQuery query, ProjectRef? project, int mainId)
    {
        var employees = db.Employees.AsNoTracking();
        if (query.Scope == EmployeeListScope.Project)
        {
            employees = project is null ? employees.Where(_ => false) : employees.Where(EmployeeStatusRules.ListedIn(db, project.Id, mainId));
        }

        if (EmployeeListSearch.Normalize(query.Search) is { } term)
        {
            // Translated to instr(): a plain substring test, so % _ [ are matched literally.
            employees = employees.Where(e => e.SearchText.Contains(term));
        }

        return employees;
    }

    private static IOrderedQueryable<Employee> Sort(IQueryable<Employee> q, EmployeeListSort by, bool descending) =>
        (by, descending) switch
        {
            (EmployeeListSort.Login, false) => q.OrderBy(e => e.NormalizedLogin).ThenBy(e => e.Id),
            (EmployeeListSort.Login, true) => q.OrderByDescending(e => e.NormalizedLogin).ThenByDescending(e => e.Id),
            (EmployeeListSort.Position, false) => q.OrderBy(e => e.Position).ThenBy(e => e.SortName).ThenBy(e => e.Id),
            (EmployeeListSort.Position, true) => q.OrderByDescending(e => e.Position).ThenBy(e => e.SortName).ThenBy(e => e.Id),
            (EmployeeListSort.LastLogin, false) => q.OrderBy(e => e.LastLoginUtc).ThenBy(e => e.Id),
            (EmployeeListSort.LastLogin, true) => q.OrderByDescending(e => e.LastLoginUtc).ThenByDescending(e => e.Id),
            (_, false) => q.OrderBy(e => e.SortName).ThenBy(e => e.Id),
            (_, true) => q.OrderByDescending(e => e.SortName).ThenByDescending(e => e.Id),
        };

    /// <summary>
    /// The account's main account: created at sign-up, never deleted, never reassigned, so it is cached per account
    /// (looking it up scans the account's employees, which the list must not do on every page).
    /// </summary>
    private async Task<int> MainIdAsync(LptrackerDbContext db, int accountId, CancellationToken ct)
    {
        if (_mainIds.TryGetValue(accountId, out var id))
        {
            return id;
        }

        id = await db.Employees.Where(e => e.IsMain).Select(e => e.Id).FirstOrDefaultAsync(ct);
        if (id != 0)
        {
            _mainIds[accountId] = id;
        }

        return id;
    }

    private async Task<EmployeeListCounters> CountAsync(LptrackerDbContext db, int projectId, int mainId, CancellationToken ct)
    {
        var listed = db.Employees.AsNoTracking().Where(EmployeeStatusRules.ListedIn(db, projectId, mainId));
        var total = await listed.CountAsync(ct);
        var working = await db.Employees.Where(EmployeeStatusRules.WorkingIn(db, projectId, mainId)).CountAsync(ct);

        // Presence lives in memory (the registrar); only employees with a SIP account can be online.
        var withSip = await db.SipAccounts.AsNoTracking()
            .Where(s => listed.Any(e => e.Id == s.EmployeeId))
            .Select(s => s.EmployeeId)
            .ToListAsync(ct);
        var online = withSip.Count(id => presence.Get(id).Status == SipStatus.Online);
        return new EmployeeListCounters(total, working, online);
    }

    private string? DeleteBlockedReason(CallerProfile me, int employeeId, bool isMain) =>
        isMain ? l["EmployeeList.Blocked.DeleteMain"].Value
        : employeeId == me.EmployeeId ? l["EmployeeList.Blocked.DeleteSelf"].Value
        : null;

    // The Employees section is enough to switch anyone, except that only the main account switches itself.
    private string? ToggleBlockedReason(CallerProfile me, bool targetIsMain) =>
        targetIsMain && !me.IsMain ? l["EmployeeList.Blocked.ToggleMain"].Value : null;
}
