using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// Decides, row by row and without writing, what an import does: the same validators as the forms, the owner and
/// stage looked up by name, duplicates inside the file refused with the earlier row's number, and a phone or e-mail
/// that already belongs to a contact handled as the user chose (skip or update). A dry run is this plan, reported.
/// </summary>
internal sealed class ImportPlanner(
    ImportOptions options, CrmScope scope, ImportLookups lookups, ContactFormValidator contactValidator, LeadFormValidator leadValidator, IStringLocalizer l)
{
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly ImportPlan _plan = new(options.Kind);

    public ImportPlan Plan(IEnumerable<TabularRow> rows)
    {
        foreach (var row in rows)
        {
            if ((row.Error ?? PlanRow(row)) is { } reason)
            {
                _plan.Rejections.Add(new ImportRejection(row.Number, reason, row.Cells));
            }
        }

        return _plan;
    }

    private string Cell(TabularRow row, ImportField field) => options.Mapping.TryGetValue(field, out var column) ? row.Cell(column) : "";

    private string? PlanRow(TabularRow row) => options.Kind == ImportKind.Contacts ? PlanContactRow(row) : PlanLeadRow(row);

    private string? PlanContactRow(TabularRow row)
    {
        if (ReadContact(row, out var form, out var phones, out var existing) is { } refusal)
        {
            return refusal;
        }

        if (existing is not null && options.Duplicates == DuplicateMode.Skip)
        {
            _plan.Skipped++;
            return null;
        }

        _plan.Contacts.Add(NewOrUpdate(form!, phones!, existing));
        return null;
    }

    private string? PlanLeadRow(TabularRow row)
    {
        var hasContact = new[] { ImportField.Name, ImportField.Company, ImportField.Phone, ImportField.Email }.Any(f => Cell(row, f).Length > 0);
        ContactForm? contact = null;
        List<string>? phones = null;
        int? existing = null;
        if (hasContact && ReadContact(row, out contact, out phones, out existing) is { } refusal)
        {
            return refusal;
        }

        var stageName = Cell(row, ImportField.Stage);
        var stage = stageName.Length == 0
            ? lookups.Stages.First(s => s.Kind == StageKind.Lead)
            : lookups.Stages.Find(s => ImportLookups.Key(s.Name) == ImportLookups.Key(stageName));
        if (stage is null)
        {
            return l["Import.UnknownStage", stageName, string.Join(", ", lookups.Stages.Select(s => s.Name))];
        }

        if (!scope.Has(LeadVisibility.SectionOf(stage.Kind)))
        {
            return l["Import.StageDenied", stage.Name];
        }

        if (!ImportValues.TryDate(Cell(row, ImportField.StepDate), options.TimeZone ?? TimeZoneInfo.Utc, out var stepDate))
        {
            return l["Import.BadDate", Cell(row, ImportField.StepDate)];
        }

        if (!ImportValues.TryAmount(Cell(row, ImportField.Amount), out var amount))
        {
            return l["Import.BadAmount", Cell(row, ImportField.Amount)];
        }

        if (ResolveOwner(row, out var ownerId) is { } ownerRefusal)
        {
            return ownerRefusal;
        }

        if (ownerId is { } o && o != scope.EmployeeId && !scope.Has(EmployeePermissions.TransferToOthers))
        {
            return l["Import.AssignDenied"];
        }

        var title = Cell(row, ImportField.Title);
        var form = new LeadForm
        {
            ProjectId = scope.ProjectId,
            Title = title.Length > 0 ? title : contact is null ? "" : Contact.DisplayName(contact.Name, contact.Company, phones!.FirstOrDefault(), contact.Emails.FirstOrDefault()?.Address),
            StageId = stage.Id, OwnerId = ownerId, StepDateUtc = stepDate, Amount = amount,
            Source = NullIfEmpty(Cell(row, ImportField.Source)), StepDateReason = l["Import.StepDateReason"],
        };
        if (leadValidator.Validate(form) is { IsValid: false } invalid)
        {
            return Errors(invalid);
        }

        var openLead = existing is { } contactId && lookups.OpenLeadByContact.TryGetValue(contactId, out var leadId) ? leadId : (int?)null;
        if (openLead is not null && options.Duplicates == DuplicateMode.Skip)
        {
            _plan.Skipped++;
            return null;
        }

        // An existing contact's details change only when the user chose "update".
        var plannedContact = contact is null || (existing is not null && options.Duplicates == DuplicateMode.Skip) ? null : NewOrUpdate(contact, phones!, existing);
        if (plannedContact is not null)
        {
            _plan.Contacts.Add(plannedContact);
        }

        _plan.Leads.Add(new PlannedLead
        {
            ExistingLeadId = openLead, Contact = plannedContact, ExistingContactId = existing, Form = form,
            Stage = stageName.Length == 0 && openLead is not null ? null : stage, OwnerGiven = Cell(row, ImportField.Owner).Length > 0,
        });
        return null;
    }

    /// <summary>Validates the row's contact, refuses duplicates inside the file, and finds the existing contact it matches.</summary>
    private string? ReadContact(TabularRow row, out ContactForm? form, out List<string>? phones, out int? existing)
    {
        (phones, existing) = (null, null);
        form = new ContactForm
        {
            ProjectId = scope.ProjectId, Name = Cell(row, ImportField.Name), Company = NullIfEmpty(Cell(row, ImportField.Company)),
            Comment = NullIfEmpty(Cell(row, ImportField.Comment)),
            Phones = [.. ImportValues.List(Cell(row, ImportField.Phone)).Select(n => new PhoneEntry { Number = n })],
            Emails = [.. ImportValues.List(Cell(row, ImportField.Email)).Select(a => new EmailEntry { Address = a })],
        };
        if (contactValidator.Validate(form) is { IsValid: false } invalid)
        {
            return Errors(invalid);
        }

        if (options.Kind == ImportKind.Contacts)
        {
            if (ResolveOwner(row, out var ownerId) is { } ownerRefusal)
            {
                return ownerRefusal;
            }

            form.OwnerId = ownerId;
        }

        phones = [.. form.Phones.Select(p => p.E164!)];
        var keys = phones.Select(p => "p:" + p).Concat(form.Emails.Select(e => "e:" + ImportLookups.Key(e.Address))).ToList();
        if (keys.FirstOrDefault(_seen.ContainsKey) is { } repeated)
        {
            return l["Import.DuplicateInFile", _seen[repeated]];
        }

        var matches = phones.Select(p => lookups.ContactByPhone.TryGetValue(p, out var id) ? id : 0)
            .Concat(form.Emails.Select(e => lookups.ContactByEmail.TryGetValue(ImportLookups.Key(e.Address), out var id) ? id : 0))
            .Where(id => id != 0).Distinct().ToList();
        if (matches.Count > 1)
        {
            return l["Import.SeveralContacts"];
        }

        existing = matches.Count == 1 ? matches[0] : null;
        if (existing is { } id && options.Duplicates == DuplicateMode.Update
            && (Count(lookups.PhoneCount, id) + phones.Count(p => !lookups.ContactByPhone.ContainsKey(p)) > Limits.ContactPhones
                || Count(lookups.EmailCount, id) + form.Emails.Count(e => !lookups.ContactByEmail.ContainsKey(ImportLookups.Key(e.Address))) > Limits.ContactEmails))
        {
            return l["Import.TooManyDetails", Limits.ContactPhones, Limits.ContactEmails];
        }

        keys.ForEach(k => _seen[k] = row.Number);
        return null;
    }

    private PlannedContact NewOrUpdate(ContactForm form, List<string> phones, int? existing) =>
        new() { ExistingId = existing, Form = form, Phones = phones };

    private string? ResolveOwner(TabularRow row, out int? ownerId)
    {
        var owner = Cell(row, ImportField.Owner);
        ownerId = null;
        if (owner.Length == 0)
        {
            return null;
        }

        if (!lookups.OwnerByKey.TryGetValue(ImportLookups.Key(owner), out var id))
        {
            return l["Import.UnknownOwner", owner];
        }

        ownerId = id;
        return null;
    }

    private static int Count(Dictionary<int, int> counts, int id) => counts.TryGetValue(id, out var n) ? n : 0;

    /// <summary>The validators' messages, each led by the field's name where the message alone would not say which cell.</summary>
    private string Errors(FluentValidation.Results.ValidationResult invalid) =>
        string.Join(" ", invalid.Errors.Select(e => Enum.TryParse<ImportField>(e.PropertyName, out var field)
            ? $"{l[$"Import.Field.{field}"]}: {e.ErrorMessage}" : e.ErrorMessage).Distinct(StringComparer.Ordinal));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
