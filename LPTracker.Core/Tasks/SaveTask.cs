using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Tasks;

/// <summary>
/// Creates, edits and completes tasks (Tasks section). Giving a task to someone else needs "transfer"; the lead or
/// contact it hangs on must be of the same project; the later of two concurrent saves is told.
/// </summary>
public sealed class SaveTask(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    TaskFormValidator validator,
    TimeProvider time,
    IStringLocalizer<SaveTask> l)
{
    public async Task<OperationResult<int>> SaveAsync(CallerContext caller, TaskForm form, CancellationToken ct = default)
    {
        var validation = await validator.ValidateAsync(form, ct);
        if (!validation.IsValid)
        {
            return OperationResult<int>.Fail(validation);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var task = form.Id == 0
            ? new CrmTask { AccountId = caller.AccountId, ProjectId = form.ProjectId, AuthorId = caller.EmployeeId, CreatedUtc = now, AssigneeId = caller.EmployeeId }
            : await db.Tasks.SingleOrDefaultAsync(t => t.Id == form.Id, ct);
        if (task is null)
        {
            return OperationResult<int>.Fail("", l["Task.NotFound"]);
        }

        var scope = await CrmAccess.RequireAsync(db, caller, task.ProjectId, ProjectSections.Tasks, ct: ct);
        if (scope is null || (task.Id != 0 && !await TaskQueries.Visible(db, scope).AnyAsync(t => t.Id == task.Id, ct)))
        {
            return OperationResult<int>.Fail("", l["Access.Denied"]);
        }

        if (task.Id != 0 && task.Version != form.Version)
        {
            return OperationResult<int>.Fail("", l["Task.Conflict"]);
        }

        var assignee = form.AssigneeId ?? task.AssigneeId;
        if (assignee != task.AssigneeId || (task.Id == 0 && assignee != caller.EmployeeId))
        {
            if (assignee != caller.EmployeeId && !scope.Has(EmployeePermissions.TransferToOthers))
            {
                return OperationResult<int>.Fail(nameof(TaskForm.AssigneeId), l["Task.TransferDenied"]);
            }

            if (assignee is { } a && !await ContactQueries.ProjectEmployees(db, task.ProjectId).AnyAsync(e => e.Id == a, ct))
            {
                return OperationResult<int>.Fail(nameof(TaskForm.AssigneeId), l["Crm.OwnerNotInProject"]);
            }
        }

        if ((form.LeadId is { } leadId && !await db.Leads.AnyAsync(x => x.Id == leadId && x.ProjectId == task.ProjectId && !x.IsDeleted, ct))
            || (form.ContactId is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId && c.ProjectId == task.ProjectId, ct)))
        {
            return OperationResult<int>.Fail("", l["Task.TargetNotFound"]);
        }

        (task.Title, task.DueUtc, task.AssigneeId, task.LeadId, task.ContactId) = (form.Title.Trim(), form.DueUtc, assignee, form.LeadId, form.ContactId);
        task.DoneUtc = form.IsDone ? task.DoneUtc ?? now : null;
        (task.IsDone, task.Result) = (form.IsDone, string.IsNullOrWhiteSpace(form.Result) ? null : form.Result.Trim());
        return await VersionedSave.SaveAsync(db, task, form.Version, () => l["Task.Conflict"], ct);
    }
}
