using LPTracker.Core.Persistence;

namespace LPTracker.Core.Audit;

/// <summary>
/// For writes that bypass the change tracker (<c>ExecuteUpdate</c>/<c>ExecuteDelete</c>): the caller adds the
/// record to the same context inside the same transaction and saves; the interceptor stamps time and actor.
/// </summary>
public static class ManualAudit
{
    public static void Add(
        LptrackerDbContext db, int accountId, AuditAction action, int? targetEmployeeId, string subject,
        params AuditChange[] changes) =>
        db.AuditRecords.Add(new AuditRecord
        {
            AccountId = accountId,
            Action = action,
            TargetEmployeeId = targetEmployeeId,
            Subject = PendingAudit.Truncate(subject, Limits.AuditSubject),
            Changes = [.. changes],
        });
}
