using System.Data.Common;
using LPTracker.Core.Audit;
using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// Imports contacts or leads into the caller's current project from a table read by <see cref="TabularReader"/>.
/// Needs the section (Contacts, or Leads) and the Import data permission, checked here on every call. The whole
/// import is one transaction: nothing is half-imported — rejected rows stop the write unless the user chose to import
/// the valid rows, and a failure while writing rolls everything back. A dry run plans and reports, writing nothing.
/// </summary>
public sealed class CrmImport(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    ContactFormValidator contactValidator,
    LeadFormValidator leadValidator,
    TimeProvider time,
    IStringLocalizer<CrmImport> l)
{
    public async Task<OperationResult<ImportReport>> RunAsync(CallerContext caller, TabularTable table, ImportOptions options, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var section = options.Kind == ImportKind.Contacts ? ProjectSections.Contacts : ProjectSections.Leads;
        if (await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is not { } projectId
            || await CrmAccess.RequireAsync(db, caller, projectId, section, EmployeePermissions.ImportData, ct) is not { } scope)
        {
            return OperationResult<ImportReport>.Fail("", l["Access.Denied"]);
        }

        if (options.Mapping.Values.Any(c => c < 0 || c >= table.Headers.Count)
            || options.Mapping.Keys.Any(f => !ImportColumns.For(options.Kind).Contains(f)))
        {
            return OperationResult<ImportReport>.Fail("", l["Import.BadMapping"]);
        }

        if (!options.Mapping.Keys.Any(f => f is ImportField.Name or ImportField.Company or ImportField.Phone or ImportField.Email or ImportField.Title))
        {
            return OperationResult<ImportReport>.Fail("", l["Import.NothingMapped"]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var lookups = await ImportLookups.LoadAsync(db, scope, now, options.Kind, l, ct);
        var plan = new ImportPlanner(options, scope, lookups, contactValidator, leadValidator, l).Plan(table.Rows);
        if (options.DryRun || (plan.Rejections.Count > 0 && !options.ImportValidRows))
        {
            return OperationResult<ImportReport>.Ok(plan.Report(written: false));
        }

        // Changes are detected once per save, not on every look at the tracker: with thousands of rows tracked, the
        // save, the tenant guard and the audit collector each asking again was a full pass over every row each time.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.AuditCrmRowsOff = true;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await WriteContactsAsync(db, scope, plan, now, ct);
            await WriteLeadsAsync(db, scope, plan, now, ct);
            var report = plan.Report(written: true);
            CrmAudit.Imported(db, scope.AccountId, scope.ProjectId, options.Kind == ImportKind.Contacts,
                $"{table.Format.ToString().ToUpperInvariant()}, {table.Rows.Count}", report.Created, report.Updated, report.Skipped, report.Rejections.Count);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException)
        {
            // Someone saved the same phone (or changed a lead) while the import ran: the transaction takes nothing.
            await transaction.RollbackAsync(ct);
            return OperationResult<ImportReport>.Fail("", l["Import.Conflict"]);
        }

        return OperationResult<ImportReport>.Ok(plan.Report(written: true));
    }

    private static async Task WriteContactsAsync(LptrackerDbContext db, CrmScope scope, ImportPlan plan, DateTime now, CancellationToken ct)
    {
        var ids = plan.Contacts.Where(c => c.ExistingId is not null).Select(c => c.ExistingId!.Value).Distinct().ToList();
        var existing = ids.Count == 0 ? [] : await db.Contacts.Include(c => c.Phones).Include(c => c.Emails).AsSplitQuery()
            .Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var created = new List<Contact>();
        foreach (var planned in plan.Contacts)
        {
            var form = planned.Form;
            var contact = planned.ExistingId is { } id
                ? existing[id]
                : planned.New = new Contact { AccountId = scope.AccountId, ProjectId = scope.ProjectId, CreatedUtc = now, OwnerId = form.OwnerId ?? scope.EmployeeId };
            // Update merges: what the file fills in replaces, what it leaves blank stays; phones and e-mails are added.
            contact.Name = form.Name.Length > 0 || contact.Id == 0 ? form.Name : contact.Name;
            contact.Company = form.Company ?? contact.Company;
            contact.Comment = form.Comment ?? contact.Comment;
            contact.OwnerId = form.OwnerId ?? contact.OwnerId;
            contact.UpdatedUtc = now;
            contact.Version = Guid.NewGuid();
            contact.Phones.AddRange(planned.Phones.Where(p => !contact.Phones.Exists(x => x.E164 == p)).Select(p => new ContactPhone
            {
                AccountId = scope.AccountId, ProjectId = scope.ProjectId, E164 = p, Tail = ContactPhone.TailOf(p), Kind = PhoneKind.Mobile,
            }));
            contact.Emails.AddRange(form.Emails.Select(e => e.Address.Trim())
                .Where(a => !contact.Emails.Exists(x => string.Equals(x.Address, a, StringComparison.OrdinalIgnoreCase)))
                .Select(a => new ContactEmail { AccountId = scope.AccountId, Address = a }));
            contact.RefreshSearchText();
            if (contact.Id == 0)
            {
                created.Add(contact);
            }
        }

        // New contacts go in with multi-row inserts, ids first so that their phones, e-mails and leads can point at
        // them; the (few) updates of existing contacts stay tracked.
        await BulkInsert.InsertWithNewIdsAsync(db, created, ct);
        foreach (var contact in created)
        {
            contact.Phones.ForEach(p => p.ContactId = contact.Id);
            contact.Emails.ForEach(e => e.ContactId = contact.Id);
        }

        await BulkInsert.InsertAsync(db, [.. created.SelectMany(c => c.Phones)], ct);
        await BulkInsert.InsertAsync(db, [.. created.SelectMany(c => c.Emails)], ct);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
    }

    private static async Task WriteLeadsAsync(LptrackerDbContext db, CrmScope scope, ImportPlan plan, DateTime now, CancellationToken ct)
    {
        if (plan.Leads.Count == 0)
        {
            return;
        }

        var stages = await db.Stages.AsNoTracking().Where(s => s.ProjectId == scope.ProjectId).ToDictionaryAsync(s => s.Id, ct);
        var ids = plan.Leads.Where(x => x.ExistingLeadId is not null).Select(x => x.ExistingLeadId!.Value).Distinct().ToList();
        var existing = ids.Count == 0 ? [] : await db.Leads.Where(x => ids.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        var created = new List<Lead>();
        var history = new List<LeadChange>();
        foreach (var planned in plan.Leads)
        {
            var lead = planned.ExistingLeadId is { } id
                ? existing[id]
                : new Lead { AccountId = scope.AccountId, ProjectId = scope.ProjectId, CreatedUtc = now, ContactId = planned.Contact?.New?.Id ?? planned.ExistingContactId };
            var file = planned.Form;
            var form = new LeadForm
            {
                Title = file.Title.Length > 0 ? file.Title : lead.Title,
                StageId = planned.Stage?.Id ?? lead.StageId,
                OwnerId = planned.OwnerGiven || lead.Id == 0 ? file.OwnerId : lead.OwnerId,
                StepDateUtc = file.StepDateUtc ?? lead.StepDateUtc,
                Amount = file.Amount ?? lead.Amount,
                Source = file.Source ?? lead.Source,
                StepDateReason = file.StepDateReason,
            };
            if (lead.Id == 0)
            {
                history.AddRange(SaveLead.Changes(lead, form, stages[form.StageId], scope.EmployeeId, now));
                created.Add(lead);
            }
            else
            {
                SaveLead.Log(db, lead, form, stages[form.StageId], scope.EmployeeId, now);
            }

            (lead.Title, lead.StageId, lead.OwnerId, lead.StepDateUtc) = (form.Title.Trim(), form.StageId, form.OwnerId, form.StepDateUtc);
            (lead.Amount, lead.Source, lead.UpdatedUtc, lead.Version) = (form.Amount, form.Source?.Trim(), now, Guid.NewGuid());
            lead.RefreshSearchText();
        }

        // As for contacts: new leads and their history by multi-row inserts, updates of open leads tracked.
        await BulkInsert.InsertWithNewIdsAsync(db, created, ct);
        history.ForEach(h => h.LeadId = h.Lead!.Id);
        await BulkInsert.InsertAsync(db, history, ct);

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
    }
}
