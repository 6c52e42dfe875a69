using System.Text.RegularExpressions;

namespace LPTracker.Core.Accounts;

/// <summary>Login format: the main account signs in with its e-mail; others with <c>{number}_{name}</c>.</summary>
public static partial class LoginRules
{
    /// <summary>The fixed prefix of an account's employee logins, e.g. <c>19079_</c>.</summary>
    public static string Prefix(int accountNumber) => $"{accountNumber}_";

    /// <summary>The full login for the editable part <paramref name="suffix"/>.</summary>
    public static string Compose(int accountNumber, string suffix) => Prefix(accountNumber) + suffix.Trim().ToLowerInvariant();

    /// <summary>True when the editable part has only latin letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValidSuffix(string? suffix) =>
        !string.IsNullOrEmpty(suffix) && suffix.Length <= Limits.LoginSuffix && SuffixPattern().IsMatch(suffix);

    /// <summary>The editable part of a login of the account, or null when the login is not of that form.</summary>
    public static string? SuffixOf(int accountNumber, string login) =>
        login.StartsWith(Prefix(accountNumber), StringComparison.Ordinal) ? login[Prefix(accountNumber).Length..] : null;

    /// <summary>The form logins are looked up by.</summary>
    public static string Normalize(string login) => login.Trim().ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SuffixPattern();
}
