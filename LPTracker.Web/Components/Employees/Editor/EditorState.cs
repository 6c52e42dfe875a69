using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;

namespace LPTracker.Web.Components.Employees.Editor;

/// <summary>
/// One editing session of the employee editor, shared by its blocks: what was loaded, what is being edited, the
/// errors, and which checkboxes the caller may change (nobody grants what they lack). After a conflict the state
/// is built on what is stored now but keeps the user's merged input (<paramref name="edited"/>).
/// </summary>
public sealed class EditorState(EmployeeEditorModel model, CallerContext caller, EmployeeForm? edited = null)
{
    public EmployeeEditorModel Model { get; } = model;

    public CallerContext Caller { get; } = caller;

    /// <summary>The values as loaded (what the grant rules compare with).</summary>
    public EmployeeForm Original { get; } = model.Form;

    /// <summary>The values being edited.</summary>
    public EmployeeForm Form { get; } = edited ?? model.Form.Clone();

    /// <summary>Something differs from what was loaded: leaving asks first.</summary>
    public bool IsDirty => EditorFields.Differ(Original, Form);

    public FormErrors Errors { get; } = new();

    public bool CanChange(CommonSections section) =>
        !(Model.IsSelf && section == CommonSections.Employees)
        && (Model.Grants.CanGrant(section) || Original.CommonSections.HasFlag(section));

    public bool CanChange(EmployeePermissions permission) =>
        Model.Grants.CanGrant(permission) || Original.Permissions.HasFlag(permission);

    public bool CanChange(int projectId, ProjectSections section) =>
        Model.Grants.CanGrant(projectId, section) || OriginalRow(projectId)?.Sections.HasFlag(section) == true;

    public bool CanChangeAccess(int projectId) =>
        Model.Grants.CanGrantAccess(projectId) || OriginalRow(projectId)?.HasAccess == true;

    private ProjectAccessForm? OriginalRow(int projectId) => Original.Projects.FirstOrDefault(p => p.ProjectId == projectId);
}
