using LPTracker.Core.Permissions;

namespace LPTracker.Core.Crm;

/// <summary>
/// What the caller may do in one project's CRM, read fresh from the database by <see cref="CrmAccess"/>. The main
/// account holds every section and permission.
/// </summary>
public sealed record CrmScope(
    int AccountId, int EmployeeId, int ProjectId, bool IsMain, ProjectSections Sections, EmployeePermissions Permissions)
{
    /// <summary>True when the section of this project is open to the caller.</summary>
    public bool Has(ProjectSections section) => IsMain || (Sections & section) == section;

    /// <summary>True when the caller holds every given permission.</summary>
    public bool Has(EmployeePermissions permissions) => IsMain || (Permissions & permissions) == permissions;

    /// <summary>Sees leads, deals and tasks of other employees, not only its own and the pool.</summary>
    public bool SeesOthers => Has(EmployeePermissions.SeeOthersItems);
}
