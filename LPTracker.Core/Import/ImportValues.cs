using System.Globalization;

namespace LPTracker.Core.Import;

/// <summary>How import cells become values: lists, dates and amounts as people type them in Russian and English spreadsheets.</summary>
internal static class ImportValues
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss",
        "dd.MM.yyyy", "dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss", "d.M.yyyy", "d.M.yyyy H:mm",
    ];

    /// <summary>Several phones or e-mails in one cell: <c>+7 900 111-22-33, +7 900 444-55-66</c>.</summary>
    public static List<string> List(string cell) =>
        [.. cell.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>
    /// A date (and time) in ISO or Russian order, read as the wall clock of <paramref name="zone"/> and returned in UTC.
    /// A time the clocks skip (a daylight-saving gap) takes the zone's offset before the jump; a repeated one, the
    /// standard offset — a defined answer rather than a refused row.
    /// </summary>
    public static bool TryDate(string cell, TimeZoneInfo zone, out DateTime? value)
    {
        value = null;
        if (cell.Length == 0)
        {
            return true;
        }

        if (DateTime.TryParseExact(cell, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            var local = DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified);
            value = DateTime.SpecifyKind(local - zone.GetUtcOffset(local), DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    /// <summary>An amount with spaces between thousands and a comma or a point before the fraction.</summary>
    public static bool TryAmount(string cell, out decimal? value)
    {
        value = null;
        if (cell.Length == 0)
        {
            return true;
        }

        var text = new string(cell.Where(c => !char.IsWhiteSpace(c) && c != '\u00A0').ToArray()).Replace(',', '.');
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
