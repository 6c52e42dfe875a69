using FluentValidation;
using LPTracker.Core.Accounts;
using LPTracker.Core.Numbers;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Contacts;

/// <summary>A contact as the create and edit forms hold it; phones as typed, normalised on save.</summary>
public sealed class ContactForm
{
    /// <summary>0 for a new contact.</summary>
    public int Id { get; set; }

    public int ProjectId { get; set; }

    public string Name { get; set; } = "";

    public string? Company { get; set; }

    public string? Comment { get; set; }

    /// <summary>The responsible employee; null on create means the caller.</summary>
    public int? OwnerId { get; set; }

    public List<PhoneEntry> Phones { get; set; } = [];

    public List<EmailEntry> Emails { get; set; } = [];

    /// <summary>The token read with the contact; a save against a changed contact is refused.</summary>
    public Guid Version { get; set; }
}

/// <summary>A phone as typed, with its kind.</summary>
public sealed class PhoneEntry
{
    private string? _parsed;
    private string? _e164;

    public string Number { get; set; } = "";

    public PhoneKind Kind { get; set; }

    /// <summary>
    /// The number in E.164, or null when it is not a phone number. Parsed once per value of <see cref="Number"/>:
    /// the validator, the import's plan and the save all ask, and libphonenumber is the slow part of an import.
    /// </summary>
    public string? E164
    {
        get
        {
            if (!ReferenceEquals(_parsed, Number))
            {
                (_e164, _parsed) = (PhoneRules.Normalize(Number), Number);
            }

            return _e164;
        }
    }
}

/// <summary>An e-mail as typed.</summary>
public sealed class EmailEntry
{
    public string Address { get; set; } = "";
}

/// <summary>
/// At least one detail (name, company, phone or e-mail); lengths within <see cref="Limits"/>; every phone a real
/// number in any format; every e-mail well-formed; no number or address twice.
/// </summary>
public sealed class ContactFormValidator : AbstractValidator<ContactForm>
{
    public ContactFormValidator(IStringLocalizer<ContactFormValidator> l)
    {
        // A form-wide error (field ""), shown above the form rather than at one field.
        RuleFor(f => f).Custom((f, context) =>
        {
            if (!HasDetail(f))
            {
                context.AddFailure(new FluentValidation.Results.ValidationFailure("", l["Contact.NeedsDetail"]));
            }
        });
        RuleFor(f => f.Name).MaximumLength(Limits.ContactName).WithMessage(_ => l["Validation.TooLong", Limits.ContactName]);
        RuleFor(f => f.Company).MaximumLength(Limits.ContactCompany).WithMessage(_ => l["Validation.TooLong", Limits.ContactCompany]);
        RuleFor(f => f.Comment).MaximumLength(Limits.Comment).WithMessage(_ => l["Validation.TooLong", Limits.Comment]);
        RuleFor(f => f.Phones).Must(p => p.Count <= Limits.ContactPhones).WithMessage(_ => l["Contact.TooManyPhones", Limits.ContactPhones]);
        RuleFor(f => f.Emails).Must(e => e.Count <= Limits.ContactEmails).WithMessage(_ => l["Contact.TooManyEmails", Limits.ContactEmails]);
        RuleForEach(f => f.Phones).ChildRules(p =>
        {
            p.RuleFor(x => x.Number).Must((x, n) => string.IsNullOrWhiteSpace(n) || x.E164 is not null)
                .WithMessage(x => l["Contact.BadPhone", Shorten(x.Number)]);
            p.RuleFor(x => x.Kind).IsInEnum().WithMessage(_ => l["Employee.InvalidValue"]);
        });
        RuleForEach(f => f.Emails).ChildRules(e => e.RuleFor(x => x.Address)
            .Must(a => string.IsNullOrWhiteSpace(a) || EmailRules.IsValid(a.Trim()))
            .WithMessage(x => l["Contact.BadEmail", Shorten(x.Address)]));
        RuleFor(f => f.Phones).Must(p => !HasDuplicates(p.Select(x => x.E164)))
            .WithMessage(_ => l["Contact.PhoneTwice"]);
        RuleFor(f => f.Emails).Must(e => !HasDuplicates(e.Select(x => x.Address.Trim().ToLowerInvariant())))
            .WithMessage(_ => l["Contact.EmailTwice"]);
    }

    private static bool HasDetail(ContactForm f) =>
        !string.IsNullOrWhiteSpace(f.Name) || !string.IsNullOrWhiteSpace(f.Company)
        || f.Phones.Any(p => !string.IsNullOrWhiteSpace(p.Number)) || f.Emails.Any(e => !string.IsNullOrWhiteSpace(e.Address));

    private static bool HasDuplicates(IEnumerable<string?> values)
    {
        var present = values.Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        return present.Distinct(StringComparer.Ordinal).Count() != present.Count;
    }

    // A 10 KB "phone" is named by its start in the message, not echoed whole.
    private static string Shorten(string? value) => value is { Length: > 40 } ? value[..40] + "…" : value ?? "";
}
