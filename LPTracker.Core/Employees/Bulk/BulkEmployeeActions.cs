using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees.Bulk;

/// <summary>
/// Bulk actions of the Employees list. Each selected employee goes through the very handler the list and the editor
/// use one by one (<see cref="EmployeeListService"/>'s switch and delete, <see cref="EmployeeEditorService"/>'s save
/// for project access and "takes calls", <see cref="InvitationService"/>), so the rank rule, the grant rules and the
/// audit records are theirs; this class only adds what a bulk click must not do: act on the main account or on the
/// caller, or delete without the Delete permission (decision 0031). Rows are independent: one refusal never undoes
/// the others, and the summary says per employee what was done or why not.
/// </summary>
public sealed class BulkEmployeeActions(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    EmployeeListService list,
    EmployeeEditorService editor,
    InvitationService invitations,
    IStringLocalizer<BulkEmployeeActions> l)
{
    public async Task<OperationResult<BulkSummary>> RunAsync(CallerContext caller, BulkRequest request, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } me)
        {
            return OperationResult<BulkSummary>.Fail("", l["Access.Denied"]);
        }

        if (request.Action == BulkAction.Delete && !me.Has(EmployeePermissions.DeleteData))
        {
            return OperationResult<BulkSummary>.Fail("", l["Bulk.Error.NoDeletePermission"]);
        }

        if (request.Selection.Search is { Length: > Limits.SearchTerm })
        {
            return OperationResult<BulkSummary>.Fail("", l["EmployeeList.Error.SearchTooLong", Limits.SearchTerm]);
        }

        if (IsProjectAction(request.Action) && request.ProjectId is null)
        {
            return OperationResult<BulkSummary>.Fail(nameof(BulkRequest.ProjectId), l["Bulk.Error.ChooseProject"]);
        }

        var targets = await ResolveAsync(me, request.Selection, ct);
        var rows = new List<BulkRowResult>(targets.Count);
        foreach (var target in targets)
        {
            ct.ThrowIfCancellationRequested();
            rows.Add(await RunOneAsync(me, request, target, ct));
        }

        return OperationResult<BulkSummary>.Ok(new BulkSummary(request.Action, rows));
    }

    private static bool IsProjectAction(BulkAction action) =>
        action is BulkAction.GrantAccess or BulkAction.RevokeAccess or BulkAction.StartTakingCalls or BulkAction.StopTakingCalls;

    private async Task<IReadOnlyList<Target>> ResolveAsync(CallerProfile me, EmployeeSelection selection, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(me.AccountId, ct);
        var query = await SelectionQuery.ForAsync(db, me, selection, ct);
        var found = await query.OrderBy(e => e.SortName).ThenBy(e => e.Id).Take(EmployeeSelection.MaxRows)
            .Select(e => new Target(e.Id, e.Name, e.IsMain)).ToListAsync(ct);

        // A ticked id that is gone (deleted meanwhile, or never this account's) is reported, not silently skipped.
        var missing = selection.AllMatching ? [] : selection.Ids.Distinct().Except(found.Select(t => t.Id)).Take(EmployeeSelection.MaxRows);
        return [.. found, .. missing.Select(id => new Target(id, $"#{id}", false, Missing: true))];
    }

    private async Task<BulkRowResult> RunOneAsync(CallerProfile me, BulkRequest request, Target target, CancellationToken ct)
    {
        string? refusal = target switch
        {
            { Missing: true } => l["EmployeeList.Error.NotFound"].Value,
            { IsMain: true } => l["Bulk.Refused.Main"].Value,
            _ when target.Id == me.EmployeeId => l["Bulk.Refused.Self"].Value,
            _ => null,
        };
        if (refusal is not null)
        {
            return new BulkRowResult(target.Id, target.Name, BulkOutcome.Refused, refusal);
        }

        var (result, changed) = request.Action switch
        {
            BulkAction.SwitchOn or BulkAction.SwitchOff => await SwitchAsync(me, target.Id, request.Action == BulkAction.SwitchOn, ct),
            BulkAction.Delete => (await list.DeleteAsync(me.Context, target.Id, ct), true),
            BulkAction.SendInvitation => (await invitations.SendAsync(me.Context, target.Id, request.LinkBase, ct), true),
            _ => await SetProjectFlagAsync(me, target.Id, request.Action, request.ProjectId!.Value, ct),
        };
        return !result.Succeeded
            ? new BulkRowResult(target.Id, target.Name, BulkOutcome.Refused, result.Summary)
            : new BulkRowResult(target.Id, target.Name, changed ? BulkOutcome.Done : BulkOutcome.Unchanged);
    }

    private async Task<(OperationResult, bool)> SwitchAsync(CallerProfile me, int employeeId, bool enabled, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(me.AccountId, ct);
        var before = await db.Employees.Where(e => e.Id == employeeId).Select(e => (bool?)e.IsEnabled).SingleOrDefaultAsync(ct);
        return (await list.SetEnabledAsync(me.Context, employeeId, enabled, ct), before != enabled);
    }

    /// <summary>
    /// Access and "takes calls" through the editor's own save: the employee's form as the caller sees it, one box
    /// changed. The save re-checks the rank rule, the grant rules and the version, and its interceptor writes the audit.
    /// </summary>
    private async Task<(OperationResult, bool)> SetProjectFlagAsync(
        CallerProfile me, int employeeId, BulkAction action, int projectId, CancellationToken ct)
    {
        var loaded = await editor.GetAsync(me.Context, employeeId, ct);
        if (!loaded.Succeeded)
        {
            return (loaded, false);
        }

        var form = loaded.Value!.Form;
        if (form.Projects.FirstOrDefault(p => p.ProjectId == projectId) is not { } row)
        {
            return (OperationResult.Fail("", l["Bulk.Error.ProjectNotFound"]), false);
        }

        var value = action is BulkAction.GrantAccess or BulkAction.StartTakingCalls;
        var current = action is BulkAction.GrantAccess or BulkAction.RevokeAccess ? row.HasAccess : row.TakesCalls;
        if (current == value)
        {
            return (OperationResult.Ok(), false);
        }

        if (action is BulkAction.GrantAccess or BulkAction.RevokeAccess)
        {
            row.HasAccess = value;
        }
        else
        {
            row.TakesCalls = value;
        }

        var saved = await editor.UpdateAsync(me.Context, employeeId, form, ct);
        return saved.Succeeded ? (OperationResult.Ok(), true) : (OperationResult.Fail("", saved.Summary), false);
    }

    private sealed record Target(int Id, string Name, bool IsMain, bool Missing = false);
}
