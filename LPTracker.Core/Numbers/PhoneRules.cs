using System.Text.RegularExpressions;
using PhoneNumbers;

namespace LPTracker.Core.Numbers;

/// <summary>
/// Phone numbers as people type them, normalised to E.164 with libphonenumber. Russia is the default region, so
/// <c>8 (812) 389-32-98</c> and <c>+7 812 3893298</c> are both <c>+78123893298</c>. A foreign number is accepted
/// when it carries its country code and libphonenumber deems it valid; letters are refused (no vanity numbers).
/// </summary>
public static partial class PhoneRules
{
    /// <summary>The region assumed for numbers typed without a country code.</summary>
    public const string DefaultRegion = "RU";

    /// <summary>The longest input accepted before parsing (spaces and brackets included).</summary>
    public const int MaxInputLength = 32;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form of <paramref name="input"/>, or null when it is not a valid phone number.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength || !Allowed().IsMatch(input))
        {
            return null;
        }

        try
        {
            var number = Util.Parse(input.Trim(), DefaultRegion);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="input"/> is a valid phone number.</summary>
    public static bool IsValid(string? input) => Normalize(input) is not null;

    /// <summary>An E.164 number in the international format people read, e.g. <c>+7 812 389-32-98</c>.</summary>
    public static string Display(string? e164)
    {
        if (string.IsNullOrEmpty(e164))
        {
            return "";
        }

        try
        {
            return Util.Format(Util.Parse(e164, DefaultRegion), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    // Digits with the usual separators; a '+' may only lead.
    [GeneratedRegex(@"^\s*\+?[0-9\s\-().]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
