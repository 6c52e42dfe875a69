namespace LPTracker.Core.Calls;

/// <summary>One page of the call log; <see cref="MissedOnly"/> keeps the inbound calls nobody answered.</summary>
public sealed record CallLogQuery(bool MissedOnly = false, int Page = 0, int PageSize = CallLogQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 25;

    public const int MaxPageSize = 100;
}

/// <summary>
/// A call as the log shows it to one viewer. <see cref="ClientNumber"/> is null when the viewer hides client numbers
/// (<see cref="NumberHidden"/>) or the number is unknown. <see cref="Outcome"/> is null while the call goes on.
/// </summary>
public sealed record CallLogRow(
    Guid Id,
    CallDirection Direction,
    string? ClientNumber,
    bool NumberHidden,
    string? DialledNumber,
    string? ProjectName,
    DateTime StartedUtc,
    DateTime? AnsweredUtc,
    DateTime? EndedUtc,
    CallOutcome? Outcome,
    string? AnsweredBy,
    bool IsMissed,
    IReadOnlyList<CallLegRow> Legs);

/// <summary>One leg of a logged call; <see cref="EmployeeName"/> is null for an employee deleted since.</summary>
public sealed record CallLegRow(
    Guid Id, int EmployeeId, string? EmployeeName, DateTime StartedUtc, DateTime? AnsweredUtc, DateTime? EndedUtc, CallOutcome? Outcome);

/// <summary>A page of the log; <see cref="AllCalls"/> says whether the viewer sees the account's calls or only their own.</summary>
public sealed record CallLogPage(IReadOnlyList<CallLogRow> Rows, int TotalCount, bool AllCalls);
