namespace LPTracker.Core.Contacts;

/// <summary>A client of one project: a person or a company, with typed phones and e-mails.</summary>
public sealed class Contact : Crm.IVersioned
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public int ProjectId { get; set; }

    public string Name { get; set; } = "";

    public string? Company { get; set; }

    public string? Comment { get; set; }

    /// <summary>The employee responsible for the contact; null when the employee was deleted.</summary>
    public int? OwnerId { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    /// <summary>Lower-invariant name, company, phones and e-mails: SQLite folds case only for ASCII.</summary>
    public string SearchText { get; set; } = "";

    /// <summary>Lower-invariant name (or company when there is no name), for culture-correct sorting.</summary>
    public string SortName { get; set; } = "";

    /// <summary>App-managed optimistic concurrency token (SQLite cannot generate one).</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public List<ContactPhone> Phones { get; set; } = [];

    public List<ContactEmail> Emails { get; set; } = [];

    /// <summary>Recomputes the stored, normalised search and sort columns.</summary>
    public void RefreshSearchText()
    {
        SortName = (string.IsNullOrWhiteSpace(Name) ? Company ?? "" : Name).Trim().ToLowerInvariant();
        if (SortName.Length > Limits.ContactName)
        {
            SortName = SortName[..Limits.ContactName];
        }

        SearchText = string.Join('\n', [Name, Company, .. Phones.Select(p => p.E164), .. Emails.Select(e => e.Address)])
            .ToLowerInvariant();
    }

    /// <summary>What the contact is called in lists: the name, else the company, else the first phone or e-mail.</summary>
    public static string DisplayName(string name, string? company, string? phone, string? email) =>
        !string.IsNullOrWhiteSpace(name) ? name
        : !string.IsNullOrWhiteSpace(company) ? company
        : phone is not null ? Numbers.PhoneRules.Display(phone)
        : email ?? "";
}

/// <summary>One phone of a contact, in E.164; unique within the project.</summary>
public sealed class ContactPhone
{
    public int Id { get; set; }

    public int ContactId { get; set; }

    public int AccountId { get; set; }

    public int ProjectId { get; set; }

    public string E164 { get; set; } = "";

    /// <summary>The last ten digits: an incoming call whose number arrives in another form still finds its contact.</summary>
    public string Tail { get; set; } = "";

    public PhoneKind Kind { get; set; }

    /// <summary>The last ten digits of an E.164 number (all of them when shorter).</summary>
    public static string TailOf(string e164)
    {
        var digits = new string(e164.Where(char.IsAsciiDigit).ToArray());
        return digits.Length <= 10 ? digits : digits[^10..];
    }
}

/// <summary>One e-mail address of a contact.</summary>
public sealed class ContactEmail
{
    public int Id { get; set; }

    public int ContactId { get; set; }

    public int AccountId { get; set; }

    public string Address { get; set; } = "";
}

/// <summary>What a phone is.</summary>
public enum PhoneKind
{
    Mobile = 0,
    Work = 1,
    Home = 2,
    Other = 3,
}
