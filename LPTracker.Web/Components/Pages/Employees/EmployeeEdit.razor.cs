using LPTracker.Core;
using LPTracker.Core.Employees;
using LPTracker.Core.Security;
using LPTracker.Web.Auth;
using LPTracker.Web.Components.Employees.Editor;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;

namespace LPTracker.Web.Components.Pages.Employees;

/// <summary>
/// <c>/employees/new</c> and <c>/employees/{id}</c>: the five blocks of an employee's settings (the main account's
/// page has no Access and Permissions blocks). Fields are checked as they change with the same validator the
/// service runs; a save another administrator overtook shows the current values.
/// </summary>
public sealed partial class EmployeeEdit
{
    private EditorState? _state;
    private string? _loadError;
    private MergeResult? _conflict;
    private bool _saving;
    private bool _leaving;
    private bool _scrollToError;
    private int? _loadedFor = -1;

    /// <summary>The employee being edited; null on <c>/employees/new</c>.</summary>
    [Parameter]
    public int? Id { get; set; }

    [Inject]
    private EmployeeEditorService Editor { get; set; } = default!;

    [Inject]
    private EmployeeFormValidator Validator { get; set; } = default!;

    [Inject]
    private CurrentUser CurrentUser { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private InvitationService Invitations { get; set; } = default!;

    [Inject]
    private LPTracker.Web.Admin.LinkBase LinkBase { get; set; } = default!;

    private string Title => _state?.Model switch
    {
        { IsMain: true } => L["Editor.TitleMain"],
        { IsNew: false } model => model.Form.Name,
        _ when Id is null => L["Editor.TitleNew"],
        _ => L["Nav.Employees"],
    };

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor != Id)
        {
            _loadedFor = Id;
            await LoadAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_scrollToError)
        {
            _scrollToError = false;
            await JS.InvokeVoidAsync("lptracker.scrollToFirstError");
        }
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (_leaving || _state is not { IsDirty: true })
        {
            return;
        }

        var leave = await Dialogs.ShowMessageBoxAsync(L["Editor.Leave.Title"], L["Editor.Leave.Text"],
            yesText: L["Editor.Leave.Yes"], cancelText: L["Editor.Leave.Stay"]);
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }

    private async Task LoadAsync()
    {
        _conflict = null;
        _leaving = false;
        if (await CurrentUser.GetCallerAsync() is not { } caller)
        {
            return;
        }

        var result = Id is { } id ? await Editor.GetAsync(caller, id) : await Editor.NewAsync(caller);
        _loadError = result.Succeeded ? null : result.Summary;
        _state = result.Value is { } model ? new EditorState(model, caller) : null;
    }

    private async Task ValidateFieldAsync(string field)
    {
        if (_state is null)
        {
            return;
        }

        var result = await Validator.ValidateAsync(_state.Form, _state.Model.RuleContext, default, field);
        _state.Errors.SetFields([field], result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)));
    }

    private async Task SaveAsync()
    {
        if (_state is not { } state)
        {
            return;
        }

        var validation = await Validator.ValidateAsync(state.Form, state.Model.RuleContext);
        if (!validation.IsValid)
        {
            state.Errors.Set(validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)));
            Snackbar.Add(L["Editor.FixErrors"], Severity.Warning);
            _scrollToError = true;
            return;
        }

        _saving = true;
        try
        {
            var result = state.Model.EmployeeId is { } id
                ? await Editor.UpdateAsync(state.Caller, id, state.Form)
                : await Editor.CreateAsync(state.Caller, state.Form);
            await ApplyAsync(state, result);
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task ApplyAsync(EditorState state, EmployeeSaveResult result)
    {
        if (result.IsConflict)
        {
            // Nothing was written. Keep the user's input, take the other save into the fields the user did not touch,
            // and list, field by field, what changed — the next Save stores the user's version knowingly.
            _conflict = EditorFields.Merge(state.Original, state.Form, result.Current!.Form, L);
            _state = new EditorState(result.Current!, state.Caller, _conflict.Form);
            _scrollToError = true;
            return;
        }

        if (!result.Succeeded)
        {
            state.Errors.Set(result.Errors);
            Snackbar.Add(L["Editor.FixErrors"], Severity.Warning);
            _scrollToError = true;
            return;
        }

        _conflict = null;
        if (state.Model.IsNew)
        {
            Snackbar.Add(WhereListed(state.Form), Severity.Success);
            if (state.Form.SendInvitation)
            {
                await InviteAsync(state.Caller, result.EmployeeId);
            }

            _leaving = true;
            Navigation.NavigateTo($"/employees/{result.EmployeeId}");
            return;
        }

        Snackbar.Add(L["Editor.Saved"], Severity.Success);
        await LoadAsync();
    }

    /// <summary>
    /// The invitation of an employee created without a password. The employee exists whatever happens here; a failed
    /// send is said (and stays on screen) and the employee's page offers to send again.
    /// </summary>
    private async Task InviteAsync(CallerContext caller, int employeeId)
    {
        var invite = await Invitations.SendAsync(caller, employeeId, LinkBase.Value);
        if (invite.Value is { } sent)
        {
            Snackbar.Add(sent.SavedToFolder ? L["Invite.SavedToFolder", sent.Email] : L["Invite.CreatedAndSent", sent.Email], Severity.Success);
        }
        else
        {
            Snackbar.Add(L["Invite.CreatedNotSent", invite.Summary], Severity.Error, o => o.RequireInteraction = true);
        }
    }

    /// <summary>A new employee is listed under «Проект» only in projects they have access to: say which.</summary>
    private string WhereListed(EmployeeForm form)
    {
        var projects = form.Projects.Where(p => p.HasAccess).Select(p => $"«{p.ProjectName}»").ToList();
        return projects.Count == 0 ? L["Editor.CreatedAllOnly"] : L["Editor.CreatedIn", string.Join(", ", projects)];
    }
}
