namespace LPTracker.Core.Telephony;

/// <summary>Why a phone's registration state changed (the registration history's "reason" column).</summary>
public enum RegistrationReason
{
    /// <summary>A REGISTER made the user reachable (first registration, or back after being offline).</summary>
    Registered = 0,

    /// <summary>The phone removed its binding (Expires: 0), or the registrar dropped it (SIP data regenerated, deleted).</summary>
    Unregistered = 1,

    /// <summary>The binding ran out without a refresh.</summary>
    Expired = 2,

    /// <summary>The phone stopped answering qualify pings (or its TCP connection closed) while still bound.</summary>
    QualifyFailed = 3,

    /// <summary>The registrar banned the phone's address (for this user, or the whole address).</summary>
    Banned = 4,
}

/// <summary>
/// An employee's phone went online or offline. <see cref="Device"/> is the User-Agent, <see cref="Address"/> the
/// source ip:port and <see cref="Transport"/> "UDP"/"TCP", all of the newest binding (the last one known when offline).
/// </summary>
public sealed record RegistrationTransition(
    int AccountId, int EmployeeId, bool Online, RegistrationReason Reason, DateTime AtUtc,
    string? Device, string? Address, string? Transport);

/// <summary>
/// The registrar started a ban. <see cref="EmployeeId"/> is set for a ban of one user from an address (that user's
/// employee); whole-address bans (scan, flood) are reported once per account whose users were tried from it.
/// </summary>
public sealed record RegistrarBanEvent(
    int AccountId, int? EmployeeId, string Address, string Reason, DateTime UntilUtc, DateTime AtUtc);

/// <summary>
/// Telephony → console: registration transitions and bans (registration history, administrators' notifications).
/// Called on the registrar's threads: implementations must return at once (queue the work) and never throw.
/// </summary>
public interface IRegistrationEvents
{
    /// <summary>An employee's presence flipped between online and offline.</summary>
    void Transition(RegistrationTransition e);

    /// <summary>A ban started that touches the account.</summary>
    void Banned(RegistrarBanEvent e);
}

/// <summary>The default when nothing listens (Core without the history feature).</summary>
public sealed class NullRegistrationEvents : IRegistrationEvents
{
    /// <inheritdoc />
    public void Transition(RegistrationTransition e)
    {
    }

    /// <inheritdoc />
    public void Banned(RegistrarBanEvent e)
    {
    }
}
