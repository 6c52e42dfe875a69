using LPTracker.Core.Permissions;

namespace LPTracker.Core.Employees;

/// <summary>An employee's settings in one project (Access to sections).</summary>
public sealed class ProjectMembership
{
    public int EmployeeId { get; set; }

    public int ProjectId { get; set; }

    public int AccountId { get; set; }

    /// <summary>Access to the project: what the Project filter of the list uses.</summary>
    public bool HasAccess { get; set; }

    /// <summary>Takes calls/requests in this project.</summary>
    public bool TakesCalls { get; set; }

    public ProjectSections Sections { get; set; }
}
