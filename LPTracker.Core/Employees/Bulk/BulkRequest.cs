namespace LPTracker.Core.Employees.Bulk;

/// <summary>What a bulk action does to each selected employee.</summary>
public enum BulkAction
{
    SwitchOn = 0,
    SwitchOff = 1,
    GrantAccess = 2,
    RevokeAccess = 3,
    StartTakingCalls = 4,
    StopTakingCalls = 5,
    SendInvitation = 6,
    Delete = 7,
}

/// <summary>
/// The rows a bulk action or an export applies to: the ticked <see cref="Ids"/>, or, with <see cref="AllMatching"/>,
/// every employee the list shows for <see cref="Scope"/> and <see cref="Search"/> (on every page, resolved on the
/// server when the action runs).
/// </summary>
public sealed record EmployeeSelection(
    IReadOnlyCollection<int> Ids,
    bool AllMatching = false,
    EmployeeListScope Scope = EmployeeListScope.Project,
    string? Search = null)
{
    /// <summary>The most rows one request may name or match: bounds the work of one click.</summary>
    public const int MaxRows = 10_000;

    public static EmployeeSelection Matching(EmployeeListScope scope, string? search) => new([], true, scope, search);
}

/// <summary>
/// One bulk action. <see cref="ProjectId"/> is the project of the access / "takes calls" actions; <see cref="LinkBase"/>
/// the console's address for invitation links.
/// </summary>
public sealed record BulkRequest(BulkAction Action, EmployeeSelection Selection, int? ProjectId = null, string LinkBase = "");

/// <summary>How one employee fared.</summary>
public enum BulkOutcome
{
    Done = 0,
    Unchanged = 1,
    Refused = 2,
}

/// <summary>One employee's line of the summary; <see cref="Reason"/> is the localised refusal.</summary>
public sealed record BulkRowResult(int EmployeeId, string Name, BulkOutcome Outcome, string? Reason = null);

/// <summary>What a bulk action did, employee by employee.</summary>
public sealed record BulkSummary(BulkAction Action, IReadOnlyList<BulkRowResult> Rows)
{
    public int Done => Rows.Count(r => r.Outcome == BulkOutcome.Done);

    public int Unchanged => Rows.Count(r => r.Outcome == BulkOutcome.Unchanged);

    public IEnumerable<BulkRowResult> Refused => Rows.Where(r => r.Outcome == BulkOutcome.Refused);
}
