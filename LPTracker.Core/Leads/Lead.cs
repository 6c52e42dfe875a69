namespace LPTracker.Core.Leads;

/// <summary>
/// A lead, which becomes a deal when it moves to a Deal stage (one table, two views). A lead without an owner sits in
/// the project's pool. Overdue = an open stage and a step date in the past.
/// </summary>
public sealed class Lead : Crm.IVersioned
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public int ProjectId { get; set; }

    public int? ContactId { get; set; }

    public string Title { get; set; } = "";

    public int StageId { get; set; }

    public FunnelStage? Stage { get; set; }

    /// <summary>The responsible employee; null = the project's pool.</summary>
    public int? OwnerId { get; set; }

    /// <summary>When the lead must next be worked on (UTC).</summary>
    public DateTime? StepDateUtc { get; set; }

    public decimal? Amount { get; set; }

    public string? Source { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    /// <summary>Soft delete: a deleted lead leaves every list, its history stays.</summary>
    public bool IsDeleted { get; set; }

    /// <summary>Lower-invariant title and source: SQLite folds case only for ASCII.</summary>
    public string SearchText { get; set; } = "";

    /// <summary>App-managed optimistic concurrency token (SQLite cannot generate one).</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public void RefreshSearchText() => SearchText = string.Join('\n', Title, Source).ToLowerInvariant();
}

/// <summary>One logged change of a lead's stage, owner or step date: who, when, old → new, why.</summary>
public sealed class LeadChange
{
    public long Id { get; set; }

    public int AccountId { get; set; }

    public int LeadId { get; set; }

    public Lead? Lead { get; set; }

    public DateTime AtUtc { get; set; }

    public int? EmployeeId { get; set; }

    public LeadField Field { get; set; }

    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    public string? Reason { get; set; }
}

/// <summary>What a <see cref="LeadChange"/> changed.</summary>
public enum LeadField
{
    Created = 0,
    Stage = 1,
    Owner = 2,
    StepDate = 3,
}
