using LPTracker.Core.Crm;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Contacts;

/// <summary>
/// Creates or edits a contact (Contacts section of its project). Phones are stored in E.164; a number another contact
/// of the project already has is refused with that contact's name; a save against a contact changed since it was read
/// is refused (the later save is told), and nothing is written.
/// </summary>
public sealed class SaveContact(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    ContactFormValidator validator,
    TimeProvider time,
    IStringLocalizer<SaveContact> l)
{
    /// <summary>Saves the form; returns the contact's id.</summary>
    public async Task<OperationResult<int>> SaveAsync(CallerContext caller, ContactForm form, CancellationToken ct = default)
    {
        var validation = await validator.ValidateAsync(form, ct);
        if (!validation.IsValid)
        {
            return OperationResult<int>.Fail(validation);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var contact = form.Id == 0
            ? new Contact { AccountId = caller.AccountId, ProjectId = form.ProjectId, CreatedUtc = time.GetUtcNow().UtcDateTime, OwnerId = caller.EmployeeId }
            : await db.Contacts.Include(c => c.Phones).Include(c => c.Emails).AsSplitQuery().SingleOrDefaultAsync(c => c.Id == form.Id, ct);
        if (contact is null)
        {
            return OperationResult<int>.Fail("", l["Contact.NotFound"]);
        }

        // The contact's own project decides, never the project id the form claims.
        if (await CrmAccess.RequireAsync(db, caller, contact.ProjectId, ProjectSections.Contacts, ct: ct) is null)
        {
            return OperationResult<int>.Fail("", l["Access.Denied"]);
        }

        if (form.Id != 0 && contact.Version != form.Version)
        {
            return OperationResult<int>.Fail("", l["Contact.Conflict"]);
        }

        var phones = form.Phones.Where(p => !string.IsNullOrWhiteSpace(p.Number))
            .Select(p => (E164: p.E164!, p.Kind)).ToList();
        if (await TakenPhoneAsync(db, contact, phones.Select(p => p.E164).ToList(), ct) is { } taken)
        {
            return OperationResult<int>.Fail(nameof(ContactForm.Phones), l["Contact.PhoneTaken", PhoneRules.Display(taken.E164), taken.Owner]);
        }

        if (form.OwnerId is { } ownerId && ownerId != contact.OwnerId
            && !await ContactQueries.ProjectEmployees(db, contact.ProjectId).AnyAsync(e => e.Id == ownerId, ct))
        {
            return OperationResult<int>.Fail(nameof(ContactForm.OwnerId), l["Crm.OwnerNotInProject"]);
        }

        Apply(contact, form, phones);
        try
        {
            return await VersionedSave.SaveAsync(db, contact, form.Version, () => l["Contact.Conflict"], ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another save took the number between our check and our write.
            return OperationResult<int>.Fail(nameof(ContactForm.Phones), l["Contact.PhoneTakenRace"]);
        }
    }

    private void Apply(Contact contact, ContactForm form, List<(string E164, PhoneKind Kind)> phones)
    {
        contact.Name = form.Name.Trim();
        contact.Company = Blank(form.Company);
        contact.Comment = Blank(form.Comment);
        contact.OwnerId = form.OwnerId ?? contact.OwnerId;
        contact.UpdatedUtc = time.GetUtcNow().UtcDateTime;

        // Numbers kept keep their row (the unique index never sees a delete and re-insert of the same number).
        contact.Phones.RemoveAll(p => !phones.Any(n => n.E164 == p.E164));
        foreach (var (e164, kind) in phones)
        {
            if (contact.Phones.Find(p => p.E164 == e164) is { } kept)
            {
                kept.Kind = kind;
            }
            else
            {
                contact.Phones.Add(new ContactPhone
                {
                    AccountId = contact.AccountId, ProjectId = contact.ProjectId, E164 = e164, Tail = ContactPhone.TailOf(e164), Kind = kind,
                });
            }
        }

        var emails = form.Emails.Select(e => e.Address.Trim()).Where(a => a.Length > 0).ToList();
        contact.Emails.RemoveAll(e => !emails.Contains(e.Address));
        contact.Emails.AddRange(emails.Where(a => !contact.Emails.Exists(e => e.Address == a))
            .Select(a => new ContactEmail { AccountId = contact.AccountId, Address = a }));
        contact.RefreshSearchText();
    }

    private static async Task<(string E164, string Owner)?> TakenPhoneAsync(
        LptrackerDbContext db, Contact contact, List<string> numbers, CancellationToken ct)
    {
        var hit = await db.Set<ContactPhone>().AsNoTracking()
            .Where(p => p.ProjectId == contact.ProjectId && p.ContactId != contact.Id && numbers.Contains(p.E164))
            .Join(db.Contacts, p => p.ContactId, c => c.Id, (p, c) => new { p.E164, c.Name, c.Company })
            .FirstOrDefaultAsync(ct);
        return hit is null ? null : (hit.E164, Contact.DisplayName(hit.Name, hit.Company, hit.E164, null));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
