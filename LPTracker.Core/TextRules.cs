using FluentValidation;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core;

/// <summary>
/// Names are shown in lists, menus, pop-ups and SIP display names: control characters (NUL, escape, line breaks)
/// and bidirectional overrides (which make "gpj.exe" read as "exe.jpg") have no place in them.
/// </summary>
public static class TextRules
{
    /// <summary>True when <paramref name="text"/> holds a control character or a bidirectional override.</summary>
    public static bool HasControlCharacters(string? text) =>
        text is not null && text.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'
            or '\u2028' or '\u2029' or '\u200E' or '\u200F');

    /// <summary>The shared rule: refuses control characters with a localised message.</summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule, IStringLocalizer l) =>
        rule.Must(v => !HasControlCharacters(v)).WithMessage(_ => l["Validation.ControlCharacters"]);

    /// <summary>The localised refusal for code outside FluentValidation, or null when the text is clean.</summary>
    public static string? Check(string? text, IStringLocalizer l) => HasControlCharacters(text) ? l["Validation.ControlCharacters"].Value : null;
}
