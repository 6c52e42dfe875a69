namespace LPTracker.Core.Calls;

/// <summary>
/// One call in the call log, written from the telephony's <see cref="ICallEvents"/>. Times are UTC
/// <see cref="DateTime"/>s (SQLite cannot order <see cref="DateTimeOffset"/>). <see cref="Outcome"/> is null while the
/// call is still going on.
/// </summary>
public sealed class Call
{
    public Guid Id { get; set; }

    public int AccountId { get; set; }

    public int? ProjectId { get; set; }

    public CallDirection Direction { get; set; }

    /// <summary>The external party in E.164, when known.</summary>
    public string? ClientNumber { get; set; }

    /// <summary>The number the client dialled (inbound) or that was presented as caller ID (outbound).</summary>
    public string? DialledNumber { get; set; }

    /// <summary>The employee who started the call (outbound, internal, click-to-call).</summary>
    public int? InitiatorEmployeeId { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime? AnsweredUtc { get; set; }

    public DateTime? EndedUtc { get; set; }

    public CallOutcome? Outcome { get; set; }

    public int? AnsweredByEmployeeId { get; set; }

    public List<CallLeg> Legs { get; set; } = [];

    /// <summary>An inbound call that ended with nobody talking to the client.</summary>
    public bool IsMissed => Direction == CallDirection.Inbound && EndedUtc is not null && AnsweredByEmployeeId is null;
}

/// <summary>One leg of a call: the offer to one employee (all their devices together).</summary>
public sealed class CallLeg
{
    public Guid Id { get; set; }

    public Guid CallId { get; set; }

    public int AccountId { get; set; }

    public int EmployeeId { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime? AnsweredUtc { get; set; }

    public DateTime? EndedUtc { get; set; }

    public CallOutcome? Outcome { get; set; }
}
