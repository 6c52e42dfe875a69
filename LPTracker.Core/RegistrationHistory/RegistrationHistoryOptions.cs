namespace LPTracker.Core.RegistrationHistory;

/// <summary>The <c>RegistrationHistory</c> configuration section.</summary>
public sealed class RegistrationHistoryOptions
{
    /// <summary>Transitions older than this many days are deleted (<c>RegistrationHistory:RetentionDays</c>, 30).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Rows written per employee per hour before further transitions are folded into the last row
    /// (<c>RegistrationHistory:MaxPerHour</c>, 20). Decision 0029.</summary>
    public int MaxPerHour { get; set; } = 20;

    /// <summary>Transitions queued for the writer before new ones are dropped (and counted in the log).</summary>
    public int QueueCapacity { get; set; } = 10_000;
}
