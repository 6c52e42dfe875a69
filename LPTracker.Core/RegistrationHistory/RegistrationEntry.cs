using LPTracker.Core.Telephony;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// One online/offline transition of an employee's phone, as the registrar saw it. Written in batches off the SIP
/// path by the history writer; a flapping phone's extra transitions are folded into
/// <see cref="Folded"/> instead of new rows, so the table grows by a bounded number of rows per employee and hour.
/// </summary>
public sealed class RegistrationEntry
{
    public long Id { get; set; }

    public int AccountId { get; set; }

    public int EmployeeId { get; set; }

    /// <summary>When the transition happened (UTC; SQLite cannot order <see cref="DateTimeOffset"/>).</summary>
    public DateTime AtUtc { get; set; }

    public bool Online { get; set; }

    public RegistrationReason Reason { get; set; }

    /// <summary>The phone's User-Agent.</summary>
    public string? Device { get; set; }

    /// <summary>The source address (ip:port).</summary>
    public string? Address { get; set; }

    /// <summary>"UDP" or "TCP".</summary>
    public string? Transport { get; set; }

    /// <summary>How many further transitions (beyond the hourly cap) were folded into this row; 0 normally.</summary>
    public int Folded { get; set; }
}
