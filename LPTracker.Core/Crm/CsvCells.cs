using System.Text.RegularExpressions;

namespace LPTracker.Core.Crm;

/// <summary>
/// Spreadsheet formula injection (OWASP "CSV injection"): a cell that starts with <c>= + - @</c>, a tab or a carriage
/// return is prefixed with an apostrophe so Excel and LibreOffice show it as text instead of running it. A plain phone
/// number (<c>+7 812 389-32-98</c>) is left alone: it cannot call anything, and an apostrophe would spoil every
/// exported phone.
/// </summary>
public static partial class CsvCells
{
    public static string? Safe(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !PhoneLike().IsMatch(value)
            ? "'" + value
            : value;

    [GeneratedRegex(@"^\+?[0-9 ()\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneLike();
}
