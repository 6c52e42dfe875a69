namespace LPTracker.Core.Calls;

/// <summary>How a call entered the PBX.</summary>
public enum CallDirection
{
    /// <summary>From a trunk (a client calling one of the account's virtual numbers).</summary>
    Inbound,

    /// <summary>From an employee's SIP phone to an external number.</summary>
    Outbound,

    /// <summary>From an employee's SIP phone to another employee.</summary>
    Internal,

    /// <summary>Started from the console ("Call" buttons): the employee first, then the client (RFC 3725).</summary>
    ClickToCall,
}

/// <summary>How a call, or one leg of it, ended.</summary>
public enum CallOutcome
{
    Answered,
    NoAnswer,
    Busy,
    Declined,
    NobodyWorking,
    CallerHungUp,
    Cancelled,
    Failed,
}

/// <summary>A call began. <see cref="ClientNumber"/> is the external party in E.164 (null when unknown).</summary>
public sealed record CallStartedEvent(
    Guid CallId, int AccountId, int? ProjectId, CallDirection Direction, string? ClientNumber, string? DialledNumber,
    int? InitiatorEmployeeId, DateTime AtUtc);

/// <summary>A leg towards one employee (all their devices together) started ringing or was answered. An
/// <see cref="Outgoing"/> leg is the client's side of a call the employee makes (from their phone, or click-to-call):
/// it is logged and shown in the live state under that employee, but never pops up an incoming-call card.</summary>
public sealed record CallLegEvent(
    Guid CallId, Guid LegId, int AccountId, int? ProjectId, int EmployeeId, string? ClientNumber, string? DialledNumber,
    DateTime AtUtc, bool Outgoing = false);

/// <summary>A leg ended (answered legs end when the call ends).</summary>
public sealed record CallLegEndedEvent(Guid CallId, Guid LegId, int AccountId, int EmployeeId, CallOutcome Outcome, DateTime AtUtc);

/// <summary>A call ended; <see cref="AnsweredByEmployeeId"/> is who talked, if anyone.</summary>
public sealed record CallEndedEvent(Guid CallId, int AccountId, CallOutcome Outcome, int? AnsweredByEmployeeId, DateTime AtUtc);

/// <summary>
/// Telephony → console: the life of every call, in order per call. Implemented in Core (call log, live call state,
/// pop-ups). The B2BUA calls it on its own threads: implementations must return quickly and never throw.
/// Per-employee rules (hide the client's number, pop up the card) are applied by the implementation, which knows
/// the employee; the B2BUA reports facts only.
/// </summary>
public interface ICallEvents
{
    void CallStarted(CallStartedEvent e);

    void LegRinging(CallLegEvent e);

    void LegAnswered(CallLegEvent e);

    void LegEnded(CallLegEndedEvent e);

    void CallEnded(CallEndedEvent e);
}

/// <summary>The outcome of asking the PBX to start a click-to-call.</summary>
public enum ClickToCallStart
{
    Started,
    EmployeeUnreachable,
    NoTrunk,
    NoCallerId,
    Busy,
}

/// <summary>
/// Console → telephony: start a click-to-call (RFC 3725 third-party call control). Implemented by the B2BUA; the
/// caller (Core's CallService) has already checked rights and normalised the client number to E.164.
/// </summary>
public interface IClickToCallDialer
{
    Task<(ClickToCallStart Result, Guid? CallId)> StartAsync(
        int accountId, int employeeId, int projectId, string clientE164, CancellationToken cancellationToken);
}
