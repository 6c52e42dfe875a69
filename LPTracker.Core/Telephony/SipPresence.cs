namespace LPTracker.Core.Telephony;

/// <summary>The SIP status column: no SIP account yet, account not registered, or registered.</summary>
public enum SipStatus
{
    NotCreated = 0,
    Disconnected = 1,
    Online = 2,
}

/// <summary>
/// An employee's SIP status with what the chip's tooltip shows. <see cref="Contacts"/> is read from the registrar
/// when asked (never pushed: round-trip times change with every qualify ping).
/// </summary>
public sealed record SipPresence(
    SipStatus Status, DateTime? SinceUtc = null, string? Device = null, string? Address = null,
    IReadOnlyList<SipContactReach>? Contacts = null);

/// <summary>
/// One registered contact and what the last qualify ping (OPTIONS) learned about it.
/// </summary>
/// <param name="Contact">Where the phone says it is (the Contact's host and port; the SIP user part is left out).</param>
/// <param name="Transport">"UDP", "TCP" or "TLS".</param>
/// <param name="Answers">True when it answered the last ping, false once it missed the allowed number (or its TCP
/// connection closed), null before the first ping.</param>
/// <param name="MissedPings">Consecutive unanswered pings.</param>
/// <param name="LastQualifiedUtc">When it last answered a ping.</param>
/// <param name="RoundTripMs">That answer's round-trip time, in milliseconds.</param>
public sealed record SipContactReach(
    string Contact, string Transport, bool? Answers, int MissedPings, DateTime? LastQualifiedUtc, double? RoundTripMs);

/// <summary>
/// Live registration state by employee. The telephony module provides the real one; without it every
/// registered employee reads as Disconnected. "Not created" is decided by the caller (no SIP account row).
/// </summary>
public interface ISipPresenceSource
{
    /// <summary>The presence of an employee that has a SIP account.</summary>
    SipPresence Get(int employeeId);
}

/// <summary>The presence source used when no registrar runs: nobody is online.</summary>
public sealed class OfflinePresenceSource : ISipPresenceSource
{
    public SipPresence Get(int employeeId) => new(SipStatus.Disconnected);
}
