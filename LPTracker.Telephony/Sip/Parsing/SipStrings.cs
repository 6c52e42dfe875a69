using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// Short strings that recur from one message to the next (hosts, user names, parameter names, transports, small header
/// values such as <c>Max-Forwards: 70</c>) come from a fixed table of recent strings instead of a new string each
/// time: a REGISTER names its host and user three or four times, and every phone sends the same few tokens (decision
/// 0078). A slot holds one string and its hash; a different string hashing to it replaces it. Each thread has its own
/// table (no locks, no cache lines shared between cores); every hit is checked against the text itself. A REGISTER
/// that answers a challenge repeats the challenged one's From, To, Call-ID and Contact, so even per-dialog values recur
/// once; values unique to one message (Via branches, nonces) are not looked up.
/// </summary>
internal static class SipStrings
{
    /// <summary>Longer text is never looked up: such values rarely recur and comparing them costs more.</summary>
    public const int MaxLength = 48;

    private const int Slots = 2048;

    // One table per thread: the UDP receive threads run on different cores, and a shared table's slots bounced between
    // their caches on every write (perf: 3.8 % of the warm CPU in the lookup itself with one shared table).
    [ThreadStatic]
    private static Entry[]? _table;

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

        // ASCII text is hashed as its bytes, as the datagram path below hashes it, so both find the same slot.
        Span<byte> narrow = stackalloc byte[MaxLength];
        var hash = System.Text.Ascii.FromUtf16(text, narrow, out var written) == OperationStatus.Done
            ? XxHash3.HashToUInt64(narrow[..written])
            : XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));
        ref var slot = ref Slot(hash);
        // The hash is compared first, so a miss never reads another string's characters.
        var cached = slot;
        if (cached.Hash == hash && cached.Value is { } value && text.SequenceEqual(value))
        {
            return value;
        }

        var made = new string(text);
        slot = new Entry(hash, made);
        return made;
    }

    /// <summary>The string of UTF-8 <paramref name="utf8"/>, from the table when it is ASCII and was seen lately.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // Hashed and compared as bytes: no widening to UTF-16 before the lookup, half the bytes hashed (perf: the
        // lookup was 5 % of the warm registrar's CPU). Ascii.Equals is false for non-ASCII bytes, so a hit is exact.
        var hash = XxHash3.HashToUInt64(utf8);
        ref var slot = ref Slot(hash);
        var cached = slot;
        if (cached.Hash == hash && cached.Value is { } value && System.Text.Ascii.Equals(utf8, value))
        {
            return value;
        }

        if (!System.Text.Ascii.IsValid(utf8))
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // ASCII: Latin-1 decoding is the plain widening.
        var made = Encoding.Latin1.GetString(utf8);
        slot = new Entry(hash, made);
        return made;
    }

    private static ref Entry Slot(ulong hash) => ref (_table ??= new Entry[Slots])[(int)(hash & (Slots - 1))];

    private readonly record struct Entry(ulong Hash, string? Value);
}
