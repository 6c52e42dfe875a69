namespace LPTracker.Core.Accounts;

/// <summary>A customer company: the tenant every other row belongs to.</summary>
public sealed class Account
{
    public int Id { get; set; }

    /// <summary>The public account number (e.g. 19079); the fixed prefix of employee logins.</summary>
    public int Number { get; set; }

    public string CompanyName { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}
