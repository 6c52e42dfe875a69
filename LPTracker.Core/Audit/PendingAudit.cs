namespace LPTracker.Core.Audit;

/// <summary>
/// An audit record collected before a save. Ids of rows added by that save are only known after it, so the
/// account, the target and the subject are read through these functions once the rows are written.
/// </summary>
internal sealed class PendingAudit(AuditAction action, Func<int> accountId, Func<int?> targetEmployeeId, Func<string?> subject)
{
    public AuditAction Action { get; } = action;

    public List<AuditChange> Changes { get; } = [];

    /// <summary>The project of a CRM record (see <see cref="AuditRecord.ProjectId"/>).</summary>
    public int? ProjectId { get; set; }

    public AuditRecord ToRecord() => new()
    {
        Action = Action,
        ProjectId = ProjectId,
        AccountId = accountId(),
        TargetEmployeeId = targetEmployeeId(),
        Subject = Truncate(subject() ?? "", Limits.AuditSubject),
        Changes = Changes,
    };

    internal static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
