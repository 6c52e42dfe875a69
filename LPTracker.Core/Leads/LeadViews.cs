namespace LPTracker.Core.Leads;

/// <summary>Which list: Leads (lead stages) or Deals (deal and final stages) — one table, two views.</summary>
public enum LeadView
{
    Leads = 0,
    Deals = 1,
}

/// <summary>Whose leads a list shows.</summary>
public enum LeadOwnerFilter
{
    /// <summary>Everything the caller may see.</summary>
    All = 0,
    Mine = 1,
    Pool = 2,
}

/// <summary>What a leads or deals list asks for.</summary>
public sealed record LeadListQuery(
    LeadView View = LeadView.Leads, LeadOwnerFilter Owner = LeadOwnerFilter.All, int? StageId = null, bool OverdueOnly = false,
    string? Search = null, int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 100;
}

/// <summary>One row of a leads or deals list.</summary>
public sealed record LeadRow(
    int Id, string Title, string? ContactName, string StageName, StageKind StageKind, string? OwnerName, DateTime? StepDateUtc,
    decimal? Amount, bool IsOverdue);

/// <summary>A page of leads; <see cref="GatedOverdue"/> above 0 means only the caller's overdue leads are shown.</summary>
public sealed record LeadListPage(IReadOnlyList<LeadRow> Rows, int Total, int GatedOverdue, int ProjectId, IReadOnlyList<FunnelStage> Stages);

/// <summary>One line of a lead's history.</summary>
public sealed record LeadHistoryLine(DateTime AtUtc, string? EmployeeName, LeadField Field, string? OldValue, string? NewValue, string? Reason);

/// <summary>The lead card: the lead, its history, and what the caller may do with it.</summary>
public sealed record LeadCard(
    int Id, int ProjectId, string Title, int? ContactId, string? ContactName, int StageId, string StageName, StageKind StageKind,
    int? OwnerId, string? OwnerName, DateTime? StepDateUtc, decimal? Amount, string? Source, DateTime CreatedUtc, DateTime UpdatedUtc,
    bool IsOverdue, Guid Version, IReadOnlyList<LeadHistoryLine> History, IReadOnlyList<FunnelStage> Stages,
    bool CanTransfer, bool ReasonRequired, bool CanDelete)
{
    public LeadForm ToForm() => new()
    {
        Id = Id, ProjectId = ProjectId, Title = Title, ContactId = ContactId, StageId = StageId, OwnerId = OwnerId,
        StepDateUtc = StepDateUtc, Amount = Amount, Source = Source, Version = Version,
    };
}
