namespace LPTracker.Telephony.Calls;

/// <summary>
/// The number in a Request-URI or From user part as E.164: digits with an optional leading <c>+</c>; a Russian
/// national number such as <c>89161234567</c> becomes <c>+79161234567</c>, and 11 digits starting with 7 get their <c>+</c>.
/// Visual separators of RFC 3966 (<c>-</c>, <c>.</c>, <c>(</c>, <c>)</c>) are ignored; anything else is not a number.
/// </summary>
public static class DialledNumber
{
    /// <summary>The E.164 form, or null when <paramref name="user"/> is not a phone number.</summary>
    public static string? ToE164(string? user)
    {
        if (string.IsNullOrEmpty(user) || user.Length > 32)
        {
            return null;
        }

        Span<char> digits = stackalloc char[32];
        var n = 0;
        var plus = false;
        for (var i = 0; i < user.Length; i++)
        {
            var c = user[i];
            if (c == '+' && i == 0)
            {
                plus = true;
            }
            else if (char.IsAsciiDigit(c))
            {
                digits[n++] = c;
            }
            else if (c is not ('-' or '.' or '(' or ')'))
            {
                return null;
            }
        }

        if (n is < 5 or > 15)
        {
            return null;
        }

        var text = new string(digits[..n]);
        if (!plus && n == 11 && text[0] == '8')
        {
            return "+7" + text[1..];
        }

        return !plus && !(n == 11 && text[0] == '7') ? null : "+" + text;
    }
}
