namespace LPTracker.Core.Employees.Bulk;

/// <summary>The columns of an employees file, in the order export writes them.</summary>
public enum EmployeeColumn
{
    Name = 0,
    Login = 1,
    Email = 2,
    Phone = 3,
    Position = 4,
    Projects = 5,
    Receiving = 6,
    SwitchedOn = 7,
    Status = 8,
    Sip = 9,
    LastLogin = 10,
}

/// <summary>Column sets shared by export and import.</summary>
public static class EmployeeColumns
{
    public static readonly IReadOnlyList<EmployeeColumn> All = Enum.GetValues<EmployeeColumn>();
}
