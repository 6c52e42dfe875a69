using LPTracker.Core.Security;
using LPTracker.Core.Telephony;

namespace LPTracker.Core.Employees;

/// <summary>The list's Project / All toggle.</summary>
public enum EmployeeListScope
{
    /// <summary>Employees with access to the current project (the default).</summary>
    Project = 0,

    /// <summary>Every employee of the account.</summary>
    All = 1,
}

/// <summary>The sortable columns.</summary>
public enum EmployeeListSort
{
    Name = 0,
    Login = 1,
    Position = 2,
    LastLogin = 3,
}

/// <summary>
/// One page request of the Employees list. <c>ExpectedProjectId</c> is the project the page believes is current;
/// when the caller's current project is another one (e.g. it was deleted), the answer says so.
/// </summary>
public sealed record EmployeeListQuery(
    EmployeeListScope Scope = EmployeeListScope.Project,
    string? Search = null,
    EmployeeListSort SortBy = EmployeeListSort.Name,
    bool Descending = false,
    int Page = 0,
    int PageSize = EmployeeListQuery.DefaultPageSize,
    int? ExpectedProjectId = null)
{
    public const int DefaultPageSize = 25;

    public const int MaxPageSize = 100;
}

/// <summary>
/// One row of the list, with everything its cells need (no lazy loads from the grid). <c>DeleteBlockedReason</c>
/// and <c>ToggleBlockedReason</c> say (localised) why Delete or the switch is disabled for this row, or are null.
/// <c>Call</c> is the live call state (ringing or talking), null when the employee is not on the phone.
/// </summary>
public sealed record EmployeeListRow(
    int Id,
    string Name,
    string Login,
    string? Position,
    DateTime? LastLoginUtc,
    bool HasPhoto,
    bool IsMain,
    bool IsEnabled,
    WorkStatus Status,
    SipPresence Sip,
    string? DeleteBlockedReason,
    string? ToggleBlockedReason,
    Guid Version,
    LPTracker.Core.Calls.EmployeeCallState? Call = null,
    bool InvitationBounced = false);

/// <summary>The counters above the list, for the current project; <c>OnCall</c> counts those talking now.</summary>
public sealed record EmployeeListCounters(int Total, int Working, int Online, int OnCall = 0);

/// <summary>
/// A page of the list plus the current project's counters. <c>TotalCount</c> counts the rows matching the scope
/// and search (for the pager); <c>Project</c> is the project status and counters refer to (null when the caller
/// sees none); <c>ProjectChanged</c> is set when the query's expected project is no longer the current one.
/// <c>Counted</c> says whom the counters count, so a live list can keep the Online counter current from presence
/// changes without asking the database again.
/// </summary>
public sealed record EmployeeListPage(
    IReadOnlyList<EmployeeListRow> Rows,
    int TotalCount,
    EmployeeListCounters Counters,
    ProjectRef? Project,
    bool ProjectChanged,
    CountedEmployees? Counted = null);

/// <summary>
/// The employees the counters count (the project's listed ones), as ids in ascending order, and those of them
/// online when the page was read (<see cref="EmployeeListCounters.Online"/> is their number).
/// </summary>
public sealed record CountedEmployees(int[] Ids, int[] Online)
{
    /// <summary>Nobody counted: no current project.</summary>
    public static CountedEmployees None { get; } = new([], []);
}
