using LPTracker.Core.Permissions;

namespace LPTracker.Core.Security;

/// <summary>What the signed-in employee may do, read fresh from the database for each check.</summary>
public sealed record CallerProfile(
    int AccountId,
    int AccountNumber,
    int EmployeeId,
    string Name,
    string Login,
    bool IsMain,
    CommonSections CommonSections,
    EmployeePermissions Permissions,
    ProjectRef? CurrentProject,
    ProjectSections CurrentProjectSections)
{
    /// <summary>True when the common section is open to the caller (the main account has every section).</summary>
    public bool Has(CommonSections section) => IsMain || (CommonSections & section) == section;

    /// <summary>True when the caller holds every given permission.</summary>
    public bool Has(EmployeePermissions permissions) => IsMain || (Permissions & permissions) == permissions;

    /// <summary>True when the section of the current project is open to the caller.</summary>
    public bool Has(ProjectSections section) => IsMain || (CurrentProjectSections & section) == section;

    public CallerContext Context => new(AccountId, EmployeeId);
}

/// <summary>A project's id and name.</summary>
public sealed record ProjectRef(int Id, string Name);
