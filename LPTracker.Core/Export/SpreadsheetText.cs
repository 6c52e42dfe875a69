using System.Text.RegularExpressions;

namespace LPTracker.Core.Export;

/// <summary>
/// Spreadsheet formula injection (OWASP "CSV injection"): a cell that starts with <c>= + - @</c>, a tab or a carriage
/// return gets a leading apostrophe so Excel and LibreOffice show it as text instead of running it. A plain number
/// such as <c>+7 812 389-32-98</c> is left alone: it cannot call anything, and an apostrophe would spoil every
/// exported phone. The one rule for every export format (CSV and XLSX).
/// </summary>
public static partial class SpreadsheetText
{
    /// <summary><paramref name="value"/>, prefixed with an apostrophe when a spreadsheet would run it as a formula.</summary>
    public static string? Neutralise(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !PlainNumber().IsMatch(value)
            ? "'" + value
            : value;

    [GeneratedRegex(@"^[+-]?[0-9][0-9 ().-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
