namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// Short strings that recur from one message to the next (hosts, user names, parameter names, transports, small header
/// values such as <c>Max-Forwards: 70</c>) come from a fixed table of recent strings instead of a new string each
/// time: a REGISTER names its host and user three or four times, and every phone sends the same few tokens (decision
/// 0078). A slot holds one string; a different string hashing to it replaces it. Threads share the table without
/// locks: a reference write is atomic and every hit is checked against the text, so a race only costs a miss.
/// Misses (unique values: tags, branches) cost one hash and one comparison more than <c>new string</c>.
/// </summary>
internal static class SipStrings
{
    /// <summary>Longer text is never looked up: such values rarely recur and comparing them costs more.</summary>
    public const int MaxLength = 48;

    private const int Slots = 2048;
    private static readonly string?[] _table = new string?[Slots];

    /// <summary>The string with the text of <paramref name="text"/>, from the table when it was seen lately.</summary>
    public static string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return "";
        }

        if (text.Length > MaxLength)
        {
            return new string(text);
        }

        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        ref var slot = ref _table[hash & (Slots - 1)];
        if (slot is { } cached && text.SequenceEqual(cached))
        {
            return cached;
        }

        var made = new string(text);
        slot = made;
        return made;
    }

    /// <summary>The string of UTF-8 <paramref name="utf8"/>, from the table when it is ASCII and was seen lately.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength || !System.Text.Ascii.IsValid(utf8))
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            chars[i] = (char)utf8[i];
        }

        return Get(chars);
    }
}
