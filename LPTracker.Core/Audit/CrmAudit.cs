using LPTracker.Core.Contacts;
using LPTracker.Core.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace LPTracker.Core.Audit;

/// <summary>
/// Audit records of the CRM's contacts and leads: created, edited (name and company; title and amount — a lead's
/// stage, owner and step date have their own history on its card), deleted. Each names its project, so the log shows
/// it only to those who hold that project's section. An import writes one record with its counts instead
/// (<see cref="Imported"/>), never one per row.
/// </summary>
internal static class CrmAudit
{
    private static readonly string[] ContactFields = [nameof(Contact.Name), nameof(Contact.Company)];

    private static readonly string[] LeadFields = [nameof(Lead.Title), nameof(Lead.Amount)];

    /// <summary>The actions about contacts (shown with the Contacts section); the other CRM ones are about leads.</summary>
    public static readonly AuditAction[] ContactActions =
        [AuditAction.ContactCreated, AuditAction.ContactUpdated, AuditAction.ContactDeleted, AuditAction.ContactsImported];

    public static void FromContact(EntityEntry entry, Contact c, Func<object, AuditAction, Func<string?>, PendingAudit> get)
    {
        var action = entry.State switch
        {
            EntityState.Added => AuditAction.ContactCreated,
            EntityState.Deleted => AuditAction.ContactDeleted,
            _ => AuditAction.ContactUpdated,
        };
        var record = get(c, action, () => Contact.DisplayName(c.Name, c.Company, null, null));
        record.ProjectId = c.ProjectId;
        Fields(record, entry, action == AuditAction.ContactUpdated, ContactFields);
    }

    public static void FromLead(EntityEntry entry, Lead lead, Func<object, AuditAction, Func<string?>, PendingAudit> get)
    {
        // A lead is deleted softly: the flag turning on is its deletion.
        var action = entry.State == EntityState.Added ? AuditAction.LeadCreated
            : lead.IsDeleted && !(bool)entry.Property(nameof(Lead.IsDeleted)).OriginalValue! ? AuditAction.LeadDeleted
            : AuditAction.LeadUpdated;
        var record = get(lead, action, () => lead.Title);
        record.ProjectId = lead.ProjectId;
        Fields(record, entry, action == AuditAction.LeadUpdated, LeadFields);
    }

    /// <summary>Adds the one record of an import: what it created, updated, skipped and rejected.</summary>
    public static void Imported(
        Persistence.LptrackerDbContext db, int accountId, int projectId, bool contacts, string subject, int created, int updated, int skipped, int rejected)
    {
        var record = new AuditRecord
        {
            AccountId = accountId,
            ProjectId = projectId,
            Action = contacts ? AuditAction.ContactsImported : AuditAction.LeadsImported,
            Subject = PendingAudit.Truncate(subject, Limits.AuditSubject),
            Changes =
            [
                new AuditChange("Created", null, created.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new AuditChange("Updated", null, updated.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new AuditChange("Skipped", null, skipped.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new AuditChange("Rejected", null, rejected.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
        };
        db.AuditRecords.Add(record);
    }

    private static void Fields(PendingAudit record, EntityEntry entry, bool changesOnly, string[] fields)
    {
        if (entry.State == EntityState.Deleted)
        {
            return;
        }

        foreach (var field in fields)
        {
            var after = AuditCollector.Format(entry.Property(field).CurrentValue);
            var before = changesOnly ? AuditCollector.Format(entry.Property(field).OriginalValue) : null;
            if (before != after)
            {
                record.Changes.Add(new AuditChange(field, before, after));
            }
        }
    }
}
