using LPTracker.Core.Audit;
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
    EmployeeRankRules rankRules,
    ISipPresenceSource presence,
    LPTracker.Core.Calls.LiveCallTracker calls,
    ChangeNotifier notifier,
    PhotoService photos,
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

        // One context (one pooled connection) and four commands: the viewer, the page, the counts, the SIP ids.
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await _viewerQuery(db, caller.EmployeeId, ct) is not { } me || !me.Has(CommonSections.Employees))
        {
            return OperationResult<EmployeeListPage>.Fail("", l["Access.Denied"]);
        }

        var project = me.CurrentProject;
        var projectId = project?.Id ?? 0;
        var mainId = me.IsMain ? caller.EmployeeId : await MainIdAsync(db, caller.AccountId, ct);
        var term = EmployeeListSearch.Normalize(query.Search);
        var filtered = Filter(db, query.Scope, term, project, mainId);
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

                // Only the latest invitation counts: a bounce is over once a newer one went out.
                InvitationBounced = db.AccountTokens.Where(t => t.EmployeeId == e.Id && t.Purpose == LPTracker.Core.Accounts.TokenPurpose.Invitation)
                    .OrderByDescending(t => t.Id).Select(t => t.BouncedUtc != null).FirstOrDefault(),
            })
            .ToListAsync(ct);

        var result = rows.Select(r => new EmployeeListRow(
            r.Id, r.Name, r.Login, r.Position, r.LastLoginUtc, r.HasPhoto, r.IsMain, r.IsEnabled,
            project is null ? WorkStatus.NotWorking : EmployeeStatusRules.StatusIn(r.IsEnabled, r.IsMain, new MembershipFlags(r.HasAccess, r.TakesCalls)),
            r.HasSip ? presence.Get(r.Id) : new SipPresence(SipStatus.NotCreated),
            DeleteBlockedReason(caller.EmployeeId, r.Id, r.IsMain),
            ToggleBlockedReason(me.IsMain, r.IsMain),
            r.Version,
            calls.Get(r.Id),
            r.InvitationBounced)).ToList();

        // The Project view without a search lists exactly the employees the Total counter counts: one count serves both.
        var sameAsListed = query.Scope == EmployeeListScope.Project && term is null;
        var (total, counters, counted) = await CountAsync(db, filtered, sameAsListed, projectId, mainId, ct);
        var changed = query.ExpectedProjectId is { } expected && expected != project?.Id;
        return OperationResult<EmployeeListPage>.Ok(new EmployeeListPage(result, total, counters, project, changed, counted));
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
            .Select(e => new { e.IsMain, e.IsEnabled, e.Name }).SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return OperationResult.Fail("", l["EmployeeList.Error.NotFound"]);
        }

        if (ToggleBlockedReason(me.IsMain, target.IsMain) is { } blocked)
        {
            return OperationResult.Fail("", blocked);
        }

        if (await rankRules.CheckAsync(db, me, employeeId, ct) is { } outranked)
        {
            return OperationResult.Fail("", outranked);
        }

        if (target.IsEnabled == enabled)
        {
            return OperationResult.Ok();
        }

        // The Version stays: the editor never writes IsEnabled, so an editor form opened before the switch cannot
        // overwrite it, and bumping the token would refuse that form's save for a change it does not touch.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var updated = await db.Employees.Where(e => e.Id == employeeId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.IsEnabled, enabled), ct);
            if (updated == 0)
            {
                return OperationResult.Fail("", l["EmployeeList.Error.NotFound"]);
            }

            ManualAudit.Add(db, caller.AccountId, AuditAction.SwitchToggled, employeeId, target.Name,
                new AuditChange(nameof(Employee.IsEnabled), target.IsEnabled.ToString(), enabled.ToString()));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
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
            .Select(e => new { e.IsMain, e.PhotoFile, e.Name, SipUser = db.SipAccounts.Where(s => s.EmployeeId == e.Id).Select(s => s.UserName).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return OperationResult.Fail("", l["EmployeeList.Error.NotFound"]);
        }

        if (DeleteBlockedReason(me.EmployeeId, employeeId, target.IsMain) is { } blocked)
        {
            return OperationResult.Fail("", blocked);
        }

        if (await rankRules.CheckAsync(db, me, employeeId, ct) is { } outranked)
        {
            return OperationResult.Fail("", outranked);
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

            ManualAudit.Add(db, caller.AccountId, AuditAction.EmployeeDeleted, employeeId, target.Name);
            await db.SaveChangesAsync(ct);
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

    /// <summary>The rows the list shows for a scope and a normalised search term (bulk actions and export reuse it).</summary>
    internal static IQueryable<Employee> Filter(LptrackerDbContext db, EmployeeListScope scope, string? term, ProjectRef? project, int mainId)
    {
        var employees = db.Employees.AsNoTracking();
        if (scope == EmployeeListScope.Project)
        {
            employees = project is null ? employees.Where(_ => false) : employees.Where(EmployeeStatusRules.ListedIn(db, project.Id, mainId));
        }

        if (term is not null)
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

    /// <summary>
    /// The pager's count and the counters in one command (scalar subqueries over one row), then the ids of the
    /// project's employees for the Online counter: presence lives in memory (the registrar). The ids are returned
    /// with the counters so that an open list keeps Online current from presence changes alone; all listed ids, not
    /// only those with a SIP account, so that an account created later needs no new read (only a phone can be
    /// online, and only an employee with a SIP account has one). On a call: only when someone talks, one more count.
    /// </summary>
    private async Task<(int Total, EmployeeListCounters Counters, CountedEmployees Counted)> CountAsync(
        LptrackerDbContext db, IQueryable<Employee> filtered, bool sameAsListed, int projectId, int mainId, CancellationToken ct)
    {
        if (projectId == 0)
        {
            return (await filtered.CountAsync(ct), new EmployeeListCounters(0, 0, 0), CountedEmployees.None);
        }

        var listed = db.Employees.Where(EmployeeStatusRules.ListedIn(db, projectId, mainId));
        var working = db.Employees.Where(EmployeeStatusRules.WorkingIn(db, projectId, mainId));
        // The listed ids are read anyway (the live page follows them): their number is the Listed counter.
        var ids = (await listed.Select(e => e.Id).ToListAsync(ct)).ToArray();
        Array.Sort(ids);
        var counts = sameAsListed
            ? new { Working = await working.CountAsync(ct), Matching = ids.Length }
            : await db.Accounts.Select(_ => new { Working = working.Count(), Matching = filtered.Count() }).SingleAsync(ct);
        var online = Array.FindAll(ids, id => presence.Get(id).Status == SipStatus.Online);

        // Call state lives in memory too: count the talking employees the counters' project lists.
        var talking = calls.TalkingIn(db.TenantAccountId ?? 0);
        var onCall = talking.Count == 0 ? 0 : await listed.CountAsync(e => talking.Contains(e.Id), ct);
        return (counts.Matching, new EmployeeListCounters(ids.Length, counts.Working, online.Length, onCall),
            new CountedEmployees(ids, online));
    }

    /// <summary>
    /// The viewer's rights and current project in one command, read fresh for every page (the same rules as
    /// <see cref="AccessService.GetProfileAsync"/>: the stored current project when still visible, else the first
    /// visible one; the main account sees every project).
    /// </summary>
    /// <remarks>Per instance, not static: a compiled query is bound to the first model it meets, and a process may
    /// hold a SQLite and a PostgreSQL model (tests; one console node is one provider).</remarks>
    private readonly Func<LptrackerDbContext, int, CancellationToken, Task<ListViewer?>> _viewerQuery =
        EF.CompileAsyncQuery((LptrackerDbContext db, int employeeId, CancellationToken ct) => db.Employees
            .Where(e => e.Id == employeeId)
            .Select(e => new ListViewer(
                e.IsMain,
                e.CommonSections,
                db.Projects
                    .Where(p => e.IsMain || db.Memberships.Any(m => m.ProjectId == p.Id && m.EmployeeId == e.Id && m.HasAccess))
                    .OrderBy(p => p.Id == e.CurrentProjectId ? 0 : 1).ThenBy(p => p.Id)
                    .Select(p => (int?)p.Id).FirstOrDefault(),
                db.Projects
                    .Where(p => e.IsMain || db.Memberships.Any(m => m.ProjectId == p.Id && m.EmployeeId == e.Id && m.HasAccess))
                    .OrderBy(p => p.Id == e.CurrentProjectId ? 0 : 1).ThenBy(p => p.Id)
                    .Select(p => p.Name).FirstOrDefault()))
            .SingleOrDefault());

    private sealed record ListViewer(bool IsMain, CommonSections Sections, int? ProjectId, string? ProjectName)
    {
        public ProjectRef? CurrentProject => ProjectId is { } id ? new ProjectRef(id, ProjectName ?? "") : null;

        public bool Has(CommonSections section) => IsMain || (Sections & section) == section;
    }

    private string? DeleteBlockedReason(int callerId, int employeeId, bool isMain) =>
        isMain ? l["EmployeeList.Blocked.DeleteMain"].Value
        : employeeId == callerId ? l["EmployeeList.Blocked.DeleteSelf"].Value
        : null;

    // The Employees section is enough to switch anyone, except that only the main account switches itself.
    private string? ToggleBlockedReason(bool callerIsMain, bool targetIsMain) =>
        targetIsMain && !callerIsMain ? l["EmployeeList.Blocked.ToggleMain"].Value : null;
}
