namespace LPTracker.Core.Import;

/// <summary>What an import creates.</summary>
public enum ImportKind
{
    Contacts,
    Leads,
}

/// <summary>A field a file column can be mapped to. Phones and e-mails may hold several values split by <c>,</c> or <c>;</c>.</summary>
public enum ImportField
{
    Name,
    Company,
    Phone,
    Email,
    Comment,
    Owner,
    Title,
    Stage,
    StepDate,
    Amount,
    Source,
}

/// <summary>What to do with a row whose phone or e-mail already belongs to a contact of the project.</summary>
public enum DuplicateMode
{
    Skip,
    Update,
}

/// <summary>
/// One import request. <paramref name="Mapping"/> gives each mapped field its 0-based file column.
/// With <paramref name="DryRun"/> nothing is written and the report says what a run would do. Without
/// <paramref name="ImportValidRows"/> a single rejected row means nothing is written at all. Step dates in the file
/// are wall-clock times in <paramref name="TimeZone"/> (the zone the lead pages show them in; UTC when null), stored
/// in UTC (decision 0041).
/// </summary>
public sealed record ImportOptions(
    ImportKind Kind,
    IReadOnlyDictionary<ImportField, int> Mapping,
    DuplicateMode Duplicates = DuplicateMode.Skip,
    bool ImportValidRows = false,
    bool DryRun = true,
    TimeZoneInfo? TimeZone = null);

/// <summary>A row that was not imported, with its file row number, the reason and its cells as read.</summary>
public sealed record ImportRejection(int RowNumber, string Reason, IReadOnlyList<string> Cells);

/// <summary>
/// What an import did (or, for a dry run, would do): rows created, updated, skipped as duplicates, rejected.
/// <see cref="Written"/> is false for a dry run and when rejections stopped an all-or-nothing run.
/// </summary>
public sealed record ImportReport(int Created, int Updated, int Skipped, IReadOnlyList<ImportRejection> Rejections, bool Written);
