namespace LPTracker.Core.Telephony;

/// <summary>The SIP status column: no SIP account yet, account not registered, or registered.</summary>
public enum SipStatus
{
    NotCreated = 0,
    Disconnected = 1,
    Online = 2,
}

/// <summary>An employee's SIP status with what the chip's tooltip shows.</summary>
public sealed record SipPresence(SipStatus Status, DateTime? SinceUtc = null, string? Device = null, string? Address = null);

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
