using LPTracker.Core.Numbers;

namespace LPTracker.Core.Contacts;

/// <summary>What the contacts list asks for: a search term (name, company, phone digits, e-mail) and a page.</summary>
public sealed record ContactListQuery(string? Search = null, int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 100;
}

/// <summary>One row of the contacts list.</summary>
public sealed record ContactRow(int Id, string Name, string? Company, string? Phone, string? Email, string? OwnerName)
{
    /// <summary>The name, else the company, else the phone or e-mail.</summary>
    public string Title => Contact.DisplayName(Name, Company, Phone, Email);
}

/// <summary>One page of a project's contacts and how many match in all.</summary>
public sealed record ContactListPage(IReadOnlyList<ContactRow> Rows, int Total, int ProjectId);

/// <summary>A phone on the card.</summary>
public sealed record ContactPhoneView(string E164, PhoneKind Kind)
{
    public string Display => PhoneRules.Display(E164);
}

/// <summary>An employee who may own CRM records in a project.</summary>
public sealed record EmployeeChoice(int Id, string Name);

/// <summary>The contact card: everything shown, plus what the caller may do with it.</summary>
public sealed record ContactCard(
    int Id, int ProjectId, string ProjectName, string Name, string? Company, string? Comment, int? OwnerId, string? OwnerName,
    IReadOnlyList<ContactPhoneView> Phones, IReadOnlyList<string> Emails, DateTime CreatedUtc, DateTime UpdatedUtc, Guid Version,
    bool CanDelete)
{
    public string Title => Contact.DisplayName(Name, Company, Phones.Count > 0 ? Phones[0].E164 : null, Emails.Count > 0 ? Emails[0] : null);

    /// <summary>The card as an edit form.</summary>
    public ContactForm ToForm() => new()
    {
        Id = Id, ProjectId = ProjectId, Name = Name, Company = Company, Comment = Comment, OwnerId = OwnerId, Version = Version,
        Phones = Phones.Select(p => new PhoneEntry { Number = p.Display, Kind = p.Kind }).ToList(),
        Emails = Emails.Select(e => new EmailEntry { Address = e }).ToList(),
    };
}
