using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;

namespace LPTracker.Core.Employees;

/// <summary>What the employee editor shows: the form's current values and what the caller may choose from.</summary>
/// <param name="EmployeeId">Null for a new employee.</param>
/// <param name="IsMain">The main account's page: no Access and Permissions blocks, login = e-mail.</param>
/// <param name="LoginPrefix">The fixed <c>{number}_</c> prefix shown before the editable login.</param>
/// <param name="Form">The values to edit (a fresh copy per call).</param>
/// <param name="Numbers">The account's virtual numbers, for the displayed number.</param>
/// <param name="Grants">What the caller may grant.</param>
/// <param name="IsSelf">The caller edits its own page (it may not take away its own Employees access).</param>
/// <param name="HasSipAccount">SIP data was generated for the employee.</param>
public sealed record EmployeeEditorModel(
    int? EmployeeId,
    bool IsMain,
    string LoginPrefix,
    EmployeeForm Form,
    IReadOnlyList<VirtualNumberRef> Numbers,
    CallerGrants Grants,
    bool IsSelf,
    bool HasSipAccount)
{
    public bool IsNew => EmployeeId is null;

    /// <summary>The context <see cref="EmployeeFormValidator"/> needs for this employee.</summary>
    public EmployeeRuleContext RuleContext => new(IsNew, IsMain, Numbers.Select(n => n.E164).ToHashSet(StringComparer.Ordinal));
}

/// <summary>
/// What a caller may hand out: its own common sections, permissions and per-project sections (the main account
/// has them all). Nobody grants what they do not hold.
/// </summary>
public sealed record CallerGrants(
    bool IsMain,
    CommonSections Sections,
    EmployeePermissions Permissions,
    IReadOnlyDictionary<int, ProjectSections> SectionsByProject,
    IReadOnlySet<int> AccessibleProjects)
{
    public static CallerGrants For(CallerProfile caller, IEnumerable<ProjectMembership> memberships)
    {
        if (caller.IsMain)
        {
            return new(true, CommonSections.All, EmployeePermissions.All, new Dictionary<int, ProjectSections>(), new HashSet<int>());
        }

        var list = memberships.ToList();
        return new(false, caller.CommonSections, caller.Permissions,
            list.ToDictionary(m => m.ProjectId, m => m.HasAccess ? m.Sections : ProjectSections.None),
            list.Where(m => m.HasAccess).Select(m => m.ProjectId).ToHashSet());
    }

    public bool CanGrant(CommonSections section) => IsMain || (Sections & section) == section;

    public bool CanGrant(EmployeePermissions permission) => IsMain || (Permissions & permission) == permission;

    public bool CanGrant(int projectId, ProjectSections section) =>
        IsMain || (SectionsByProject.GetValueOrDefault(projectId) & section) == section;

    public bool CanGrantAccess(int projectId) => IsMain || AccessibleProjects.Contains(projectId);
}

/// <summary>The outcome of saving an employee: its id and new version, or the errors — and on a conflict the current values.</summary>
public sealed class EmployeeSaveResult : OperationResult
{
    private EmployeeSaveResult(IReadOnlyList<FieldError> errors, int employeeId, Guid version, EmployeeEditorModel? current)
        : base(errors)
    {
        EmployeeId = employeeId;
        Version = version;
        Current = current;
    }

    public int EmployeeId { get; }

    public Guid Version { get; }

    /// <summary>Set when someone else saved the employee first: what is stored now.</summary>
    public EmployeeEditorModel? Current { get; }

    public bool IsConflict => Current is not null;

    public static EmployeeSaveResult Saved(int employeeId, Guid version) => new([], employeeId, version, null);

    public static EmployeeSaveResult Failed(IReadOnlyList<FieldError> errors) => new(errors, 0, Guid.Empty, null);

    public static EmployeeSaveResult Failed(string field, string message) => Failed([new FieldError(field, message)]);

    public static EmployeeSaveResult Conflict(string message, EmployeeEditorModel current) =>
        new([new FieldError("", message)], current.EmployeeId ?? 0, current.Form.Version, current);
}
