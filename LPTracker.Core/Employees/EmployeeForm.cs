using LPTracker.Core.Permissions;

namespace LPTracker.Core.Employees;

/// <summary>
/// The employee editor's form: the five blocks of an employee's page. The same object is bound in the UI and sent
/// to <see cref="EmployeeEditorService"/>, which trusts none of it (rights, numbers and projects are re-checked).
/// </summary>
public sealed class EmployeeForm
{
    /// <summary>The version the editor loaded; a save against a newer version is refused as a conflict.</summary>
    public Guid Version { get; set; }

    /// <summary>The stored photo (a name returned by <see cref="PhotoService"/>), or null for none.</summary>
    public string? PhotoFile { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The editable part of the login, after the fixed <c>{number}_</c> prefix (not used by the main account).</summary>
    public string LoginSuffix { get; set; } = "";

    /// <summary>The password of a new employee, or a new password for an existing one (empty = unchanged).</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A new employee only: created without a usable password, to be sent an invitation where they set their own
    /// (needs <see cref="Email"/>); <see cref="Password"/> is then ignored, so the administrator never knows it.
    /// </summary>
    public bool SendInvitation { get; set; }

    public string? Phone { get; set; }

    /// <summary>For notifications; the main account's e-mail is also its login.</summary>
    public string? Email { get; set; }

    public string? Position { get; set; }

    public int? DisplayedNumberId { get; set; }

    public CallReceivingMethod CallReceiving { get; set; } = CallReceivingMethod.Sip;

    public string? SimNumber { get; set; }

    public bool HideClientNumber { get; set; }

    public bool PopUpContactCard { get; set; } = true;

    public CommonSections CommonSections { get; set; }

    public EmployeePermissions Permissions { get; set; }

    /// <summary>One row per project of the account (Access to sections).</summary>
    public List<ProjectAccessForm> Projects { get; set; } = [];

    /// <summary>A deep copy, so the editor can keep the loaded values beside the edited ones.</summary>
    public EmployeeForm Clone()
    {
        var copy = (EmployeeForm)MemberwiseClone();
        copy.Projects = Projects.Select(p => p with { }).ToList();
        return copy;
    }
}

/// <summary>An employee's settings in one project, as the Access to sections table edits them.</summary>
public sealed record ProjectAccessForm
{
    public int ProjectId { get; set; }

    /// <summary>For display only; the service reads project names from the database.</summary>
    public string ProjectName { get; set; } = "";

    public bool HasAccess { get; set; }

    public bool TakesCalls { get; set; }

    public ProjectSections Sections { get; set; }
}

/// <summary>What the rules of <see cref="EmployeeFormValidator"/> need to know besides the form itself.</summary>
/// <param name="IsNew">A new employee: the password is required.</param>
/// <param name="IsMain">The main account: the e-mail is the login, no login suffix.</param>
/// <param name="VirtualNumbers">The account's virtual numbers (E.164), which may not be used as the phone.</param>
public sealed record EmployeeRuleContext(bool IsNew, bool IsMain, IReadOnlySet<string> VirtualNumbers);
