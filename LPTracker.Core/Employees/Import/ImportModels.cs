using LPTracker.Core.Employees.Bulk;
using LPTracker.Core.Import;

namespace LPTracker.Core.Employees.Import;

/// <summary>
/// The import's choices: issue SIP data and e-mail invitations to the created employees, and whether the valid rows
/// are created when other rows fail (otherwise one failing row means nothing is created).
/// </summary>
public sealed record ImportOptions(bool GenerateSip = false, bool SendInvitations = false, bool ImportValidRows = false, string LinkBase = "");

/// <summary>One problem with a row: its number in the file (the header is row 1), the column, and the localised reason.</summary>
public sealed record ImportRowError(int Row, EmployeeColumn? Column, string Message);

/// <summary>
/// What a dry run found or an import did. <see cref="Created"/> is 0 for a dry run and for an import refused because
/// rows failed; <see cref="FollowUps"/> lists SIP data or invitations that could not be issued for created employees.
/// </summary>
public sealed record ImportReport(
    TabularFormat Format,
    string? Encoding,
    int TotalRows,
    int ValidRows,
    IReadOnlyList<ImportRowError> Errors,
    int Created = 0,
    int SipIssued = 0,
    int Invited = 0,
    IReadOnlyList<ImportRowError>? FollowUps = null)
{
    public bool HasErrors => Errors.Count > 0;
}
