using LPTracker.Core.Crm;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Tasks;

/// <summary>My tasks / all tasks of the current project (Tasks section), open and overdue first.</summary>
public sealed class TaskQueries(IDbContextFactory<LptrackerDbContext> dbFactory, TimeProvider time, IStringLocalizer<TaskQueries> l)
{
    public async Task<OperationResult<TaskListPage>> ListAsync(CallerContext caller, TaskListQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is not { } projectId
            || await CrmAccess.RequireAsync(db, caller, projectId, ProjectSections.Tasks, ct: ct) is not { } scope)
        {
            return OperationResult<TaskListPage>.Fail("", l["Access.Denied"]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var tasks = Visible(db, scope);
        tasks = query.MineOnly ? tasks.Where(t => t.AssigneeId == caller.EmployeeId) : tasks;
        tasks = query.IncludeDone ? tasks : tasks.Where(t => !t.IsDone);
        tasks = query.LeadId is { } leadId ? tasks.Where(t => t.LeadId == leadId) : tasks;
        tasks = query.ContactId is { } contactId ? tasks.Where(t => t.ContactId == contactId) : tasks;
        var pageSize = Math.Clamp(query.PageSize, 1, TaskListQuery.MaxPageSize);
        var rows = await Rows(db, Ordered(tasks).Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize), now).ToListAsync(ct);
        return OperationResult<TaskListPage>.Ok(new TaskListPage(rows, await tasks.CountAsync(ct), projectId));
    }

    /// <summary>Open before done, then by due date (overdue first).</summary>
    internal static IQueryable<CrmTask> Ordered(IQueryable<CrmTask> tasks) => tasks.OrderBy(t => t.IsDone).ThenBy(t => t.DueUtc).ThenBy(t => t.Id);

    /// <summary>Tasks as list rows, names and the lead's title read in the same query.</summary>
    internal static IQueryable<TaskRow> Rows(LptrackerDbContext db, IQueryable<CrmTask> tasks, DateTime now) =>
        tasks.Select(t => new TaskRow(
            t.Id, t.Title, t.DueUtc, !t.IsDone && t.DueUtc < now, t.IsDone, t.Result,
            db.Employees.Where(e => e.Id == t.AssigneeId).Select(e => e.Name).FirstOrDefault(),
            db.Employees.Where(e => e.Id == t.AuthorId).Select(e => e.Name).FirstOrDefault(),
            t.LeadId, db.Leads.Where(x => x.Id == t.LeadId).Select(x => x.Title).FirstOrDefault(), t.ContactId, t.Version));

    /// <summary>Tasks of the scope's project the caller may see: without "see others" only its own and unassigned ones.</summary>
    internal static IQueryable<CrmTask> Visible(LptrackerDbContext db, CrmScope scope)
    {
        var tasks = db.Tasks.Where(t => t.ProjectId == scope.ProjectId);
        return scope.SeesOthers ? tasks : tasks.Where(t => t.AssigneeId == null || t.AssigneeId == scope.EmployeeId || t.AuthorId == scope.EmployeeId);
    }
}
