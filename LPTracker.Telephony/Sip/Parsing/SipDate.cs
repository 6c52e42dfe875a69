using System.Globalization;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// The Date header value (RFC 3261 §20.17: RFC 1123 form, GMT), formatted once per second: every 200 to a REGISTER
/// carries one, and thousands of them a second share the same text.
/// </summary>
internal static class SipDate
{
    private static Formatted? _last;

    /// <summary>The header value for <paramref name="now"/>, to the second.</summary>
    public static string Format(DateTimeOffset now)
    {
        var second = now.UtcTicks / TimeSpan.TicksPerSecond;
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Second == second)
        {
            return last.Text;
        }

        var text = now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        Volatile.Write(ref _last, new Formatted(second, text));
        return text;
    }

    private sealed record Formatted(long Second, string Text);
}
