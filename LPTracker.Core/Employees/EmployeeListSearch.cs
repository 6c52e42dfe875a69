namespace LPTracker.Core.Employees;

/// <summary>
/// Turns what the user typed into the string searched for in <see cref="Employee.SearchText"/> (lower-invariant,
/// so "иванов" finds "Иванов" although SQLite folds only ASCII). The match is a plain substring test
/// (<c>instr</c>), so <c>%</c>, <c>_</c> and <c>[</c> are literal characters, never wildcards.
/// </summary>
public static class EmployeeListSearch
{
    /// <summary>The normalised term, or null when there is nothing to search for.</summary>
    public static string? Normalize(string? term)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            return null;
        }

        var text = string.Join(' ', term.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        return LooksLikePhone(text, out var digits) ? digits : text;
    }

    /// <summary>
    /// "+7 (921) 555-00-01" and "8 921 555 00 01" find the stored E.164 "+79215550001": a phone-looking term is
    /// searched by its digits, with the Russian trunk prefix 8 read as country code 7.
    /// </summary>
    private static bool LooksLikePhone(string text, out string digits)
    {
        digits = "";
        if (!text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '(' or ')' or '-'))
        {
            return false;
        }

        digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 11 && digits[0] == '8')
        {
            digits = "7" + digits[1..];
        }

        return digits.Length >= 3;
    }
}
