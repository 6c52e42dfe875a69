using System.Net.Mail;

namespace LPTracker.Core.Accounts;

/// <summary>What counts as an e-mail address here: one mailbox, with a dot in the domain, no display name.</summary>
public static class EmailRules
{
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > Limits.Email || value.Any(char.IsWhiteSpace))
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var address)
            && address.Address == value
            && address.Host.Contains('.', StringComparison.Ordinal)
            && !address.Host.EndsWith('.');
    }
}
