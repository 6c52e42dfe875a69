using System.Globalization;
using LPTracker.Core.Contacts;
using LPTracker.Core.Employees;
using LPTracker.Core.Leads;
using LPTracker.Core.Persistence;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace LPTracker.Core.Audit;

/// <summary>
/// Turns the change tracker's added, modified and deleted rows into audit records: one per action and target per
/// save, each listing its fields before → after. Secrets are never copied: a password change, SIP data issued or
/// regenerated are recorded as the fact alone.
/// </summary>
internal static class AuditCollector
{
    /// <summary>Profile fields recorded with their values.</summary>
    private static readonly string[] ProfileFields =
    [
        nameof(Employee.Name), nameof(Employee.Login), nameof(Employee.Phone), nameof(Employee.Email),
        nameof(Employee.Position), nameof(Employee.DisplayedNumberId), nameof(Employee.PhotoFile),
        nameof(Employee.CallReceiving), nameof(Employee.SimNumber), nameof(Employee.HideClientNumber),
        nameof(Employee.PopUpContactCard), nameof(Employee.IsEnabled),
    ];

    private static readonly string[] RightsFields = [nameof(Employee.CommonSections), nameof(Employee.Permissions)];

    private static readonly string[] MembershipFields =
        [nameof(ProjectMembership.HasAccess), nameof(ProjectMembership.TakesCalls), nameof(ProjectMembership.Sections)];

    private static readonly string[] StrategyFields =
        [nameof(Project.SingleNumberId), nameof(Project.RingMode), nameof(Project.RingTimeoutSeconds)];

    public static List<PendingAudit> Collect(ChangeTracker tracker)
    {
        var records = new Dictionary<(object Key, AuditAction Action), PendingAudit>();
        var entries = tracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        // Owners looked up once: asking the tracker per membership runs DetectChanges each time, which made an import
        // of thousands of employees quadratic (minutes for 5,000 rows).
        var owners = new EmployeeOwners(tracker.Entries<Employee>().ToList());
        // An import writes one record with its counts (CrmAudit.Imported) instead of one per row.
        var crmRows = tracker.Context is not LptrackerDbContext { AuditCrmRowsOff: true };
        PendingAudit Crm(object key, AuditAction action, Func<string?> subject, int accountId) =>
            For(records, key, action, () => accountId, () => null, subject);
        foreach (var entry in entries)
        {
            switch (entry.Entity)
            {
                case Contact contact when crmRows:
                    CrmAudit.FromContact(entry, contact, (key, action, subject) => Crm(key, action, subject, contact.AccountId));
                    break;
                case Lead lead when crmRows:
                    CrmAudit.FromLead(entry, lead, (key, action, subject) => Crm(key, action, subject, lead.AccountId));
                    break;
                case Employee:
                    FromEmployee(entry, records);
                    break;
                case ProjectMembership membership:
                    FromMembership(owners, entry, membership, records);
                    break;
                case SipAccount sip:
                    FromSipAccount(owners, entry, sip, records);
                    break;
                case VirtualNumber number:
                    FromNumber(entry, number, records);
                    break;
                case Project project:
                    FromProject(entry, project, records);
                    break;
            }
        }

        return records.Values.Where(r => r.Changes.Count > 0 || r.Action is not (AuditAction.EmployeeUpdated or
            AuditAction.RightsChanged or AuditAction.NumberChanged or AuditAction.CallStrategyChanged
            or AuditAction.ContactUpdated or AuditAction.LeadUpdated)).ToList();
    }

    private static void FromEmployee(EntityEntry entry, Dictionary<(object, AuditAction), PendingAudit> records)
    {
        var e = (Employee)entry.Entity;
        PendingAudit Get(AuditAction action) => For(records, e, action, () => e.AccountId, () => e.Id, () => e.Name);
        switch (entry.State)
        {
            case EntityState.Added:
                AddValues(Get(AuditAction.EmployeeCreated), entry, [.. ProfileFields, .. RightsFields]);
                return;
            case EntityState.Deleted:
                Get(AuditAction.EmployeeDeleted);
                return;
        }

        // Sign-in bookkeeping: the sign-in service touches only these columns (and a password rehash on success).
        if (Changed(entry, nameof(Employee.LastLoginUtc)) && e.LastLoginUtc is not null)
        {
            Get(AuditAction.SignIn);
            return;
        }

        if (Changed(entry, nameof(Employee.LockoutEndUtc)) && e.LockoutEndUtc is not null)
        {
            Get(AuditAction.LockedOut);
        }
        else if (Changed(entry, nameof(Employee.FailedSignIns)) && e.FailedSignIns > (int)entry.Property(nameof(Employee.FailedSignIns)).OriginalValue!)
        {
            Get(AuditAction.SignInFailed);
        }

        AddChanges(Get(AuditAction.EmployeeUpdated), entry, ProfileFields);
        AddChanges(Get(AuditAction.RightsChanged), entry, RightsFields);
        if (Changed(entry, nameof(Employee.PasswordHash)))
        {
            Get(AuditAction.PasswordChanged);
        }
    }

    private static void FromMembership(
        EmployeeOwners owners, EntityEntry entry, ProjectMembership m, Dictionary<(object, AuditAction), PendingAudit> records)
    {
        var owner = owners.Of(m);
        if (owner?.State is EntityState.Deleted)
        {
            return; // Part of the employee's deletion record.
        }

        var action = owner?.State is EntityState.Added ? AuditAction.EmployeeCreated : AuditAction.RightsChanged;
        var key = (object?)owner?.Entity ?? m.EmployeeId;
        var record = For(records, key, action, () => m.AccountId, () => m.EmployeeId, () => owner?.Entity is Employee o ? o.Name : null);
        var scope = AuditValueResolver.ProjectRef(m.ProjectId);
        foreach (var field in MembershipFields)
        {
            var property = entry.Property(field);
            var before = entry.State == EntityState.Added ? null : Format(property.OriginalValue);
            var after = entry.State == EntityState.Deleted ? null : Format(property.CurrentValue);
            if (before != after)
            {
                record.Changes.Add(new AuditChange(field, before, after, scope));
            }
        }
    }

    private static void FromSipAccount(
        EmployeeOwners owners, EntityEntry entry, SipAccount sip, Dictionary<(object, AuditAction), PendingAudit> records)
    {
        var action = entry.State switch
        {
            EntityState.Added => AuditAction.SipIssued,
            EntityState.Modified when Changed(entry, nameof(SipAccount.ProtectedPassword)) => AuditAction.SipRegenerated,
            _ => (AuditAction?)null,
        };
        if (action is { } a)
        {
            var owner = owners.ById(sip.EmployeeId)?.Entity;
            For(records, sip, a, () => sip.AccountId, () => sip.EmployeeId, () => owner?.Name);
        }
    }

    private static void FromNumber(EntityEntry entry, VirtualNumber n, Dictionary<(object, AuditAction), PendingAudit> records)
    {
        var action = entry.State switch
        {
            EntityState.Added => AuditAction.NumberAdded,
            EntityState.Deleted => AuditAction.NumberRemoved,
            _ => AuditAction.NumberChanged,
        };
        var record = For(records, n, action, () => n.AccountId, () => null, () => n.E164);
        if (entry.State == EntityState.Modified)
        {
            AddChanges(record, entry, [nameof(VirtualNumber.E164), nameof(VirtualNumber.ProjectId)]);
        }
        else if (entry.State == EntityState.Added)
        {
            AddValues(record, entry, [nameof(VirtualNumber.ProjectId)]);
        }
    }

    private static void FromProject(EntityEntry entry, Project p, Dictionary<(object, AuditAction), PendingAudit> records)
    {
        PendingAudit Get(AuditAction action) => For(records, p, action, () => p.AccountId, () => null, () => p.Name);
        switch (entry.State)
        {
            case EntityState.Added:
                Get(AuditAction.ProjectCreated);
                return;
            case EntityState.Deleted:
                Get(AuditAction.ProjectDeleted);
                return;
        }

        if (Changed(entry, nameof(Project.Name)))
        {
            AddChanges(Get(AuditAction.ProjectRenamed), entry, [nameof(Project.Name)]);
        }

        AddChanges(Get(AuditAction.CallStrategyChanged), entry, StrategyFields);
    }

    private static PendingAudit For(
        Dictionary<(object, AuditAction), PendingAudit> records, object key, AuditAction action, Func<int> accountId,
        Func<int?> target, Func<string?> subject)
    {
        if (!records.TryGetValue((key, action), out var record))
        {
            record = new PendingAudit(action, accountId, target, subject);
            records[(key, action)] = record;
        }

        return record;
    }

    private static void AddChanges(PendingAudit record, EntityEntry entry, IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            var property = entry.Property(field);
            var (before, after) = (Format(property.OriginalValue), Format(property.CurrentValue));
            if (before != after)
            {
                record.Changes.Add(new AuditChange(field, before, after));
            }
        }
    }

    private static void AddValues(PendingAudit record, EntityEntry entry, IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            if (Format(entry.Property(field).CurrentValue) is { } value && value != "False" && value != "None")
            {
                record.Changes.Add(new AuditChange(field, null, value));
            }
        }
    }

    private static bool Changed(EntityEntry entry, string property)
    {
        var p = entry.Property(property);
        return !Equals(p.OriginalValue, p.CurrentValue);
    }

    internal static string? Format(object? value) => value switch
    {
        null => null,
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
    /// <summary>The tracked employees, indexed by their memberships (by reference) and by id (saved ones only: an
    /// added employee's id is still 0, so matching on it would pin every new membership on the first new employee).</summary>
    private sealed class EmployeeOwners
    {
        private readonly Dictionary<ProjectMembership, EntityEntry<Employee>> _byMembership = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<int, EntityEntry<Employee>> _byId = [];

        public EmployeeOwners(List<EntityEntry<Employee>> employees)
        {
            foreach (var entry in employees)
            {
                foreach (var membership in entry.Entity.Memberships)
                {
                    _byMembership.TryAdd(membership, entry);
                }

                if (entry.Entity.Id != 0)
                {
                    _byId.TryAdd(entry.Entity.Id, entry);
                }
            }
        }

        public EntityEntry<Employee>? Of(ProjectMembership m) =>
            _byMembership.TryGetValue(m, out var owner) ? owner : ById(m.EmployeeId);

        public EntityEntry<Employee>? ById(int id) => id != 0 && _byId.TryGetValue(id, out var owner) ? owner : null;
    }
}
