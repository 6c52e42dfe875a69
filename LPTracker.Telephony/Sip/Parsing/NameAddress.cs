using System.Runtime.CompilerServices;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// A <c>name-addr</c> or <c>addr-spec</c> with header parameters, as used by From, To, Contact and Route
/// (RFC 3261 §20.10, §25.1). Parameters after an addr-spec without angle brackets belong to the header.
/// </summary>
public sealed class NameAddress
{
    private NameAddress(string? displayName, SipUri uri, IReadOnlyList<SipParameter> parameters, bool bracketed)
    {
        DisplayName = displayName;
        Uri = uri;
        Parameters = parameters;
        IsBracketed = bracketed;
    }

    /// <summary>The display name, unquoted and unescaped, or null.</summary>
    public string? DisplayName { get; }

    /// <summary>The URI.</summary>
    public SipUri Uri { get; }

    /// <summary>Header parameters such as <c>tag</c>, <c>expires</c>, <c>q</c>.</summary>
    public IReadOnlyList<SipParameter> Parameters { get; }

    /// <summary>True when the URI was written in angle brackets.</summary>
    public bool IsBracketed { get; }

    /// <summary>The <c>tag</c> parameter, or null.</summary>
    public string? Tag => Parameters.Get("tag");

    /// <summary>Parses one name-addr / addr-spec value (not a comma list). A NameAddress is immutable, so the parse of
    /// a string instance seen lately on this thread is returned again (see <see cref="SipUri.TryParse"/>: the REGISTER
    /// answering a challenge repeats the challenged one's From, To and Contact as the same strings).</summary>
    public static bool TryParse(string value, out NameAddress? result)
    {
        ref var slot = ref (_recent ??= new Recent[512])[RuntimeHelpers.GetHashCode(value) & 511];
        if (ReferenceEquals(slot.Value, value))
        {
            result = slot.Parsed;
            return true;
        }

        if (!TryParse(value.AsSpan(), out result))
        {
            return false;
        }

        slot = new Recent(value, result!);
        return true;
    }

    [ThreadStatic]
    private static Recent[]? _recent;

    private readonly record struct Recent(string Value, NameAddress Parsed);

    /// <summary>Parses one name-addr / addr-spec value (not a comma list).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out NameAddress? result)
    {
        result = null;
        var reader = new HeaderValueReader(value);
        reader.SkipWhitespace();
        string? display = null;
        if (reader.Peek == '"')
        {
            if (!reader.TryReadQuoted(out var quoted))
            {
                return false;
            }

            display = quoted;
            reader.SkipWhitespace();
            if (reader.Peek != '<')
            {
                return false;
            }
        }
        else if (reader.Peek != '<')
        {
            var angle = reader.Remaining.IndexOf('<');
            if (angle >= 0)
            {
                // display-name = *(token LWS): anything else before '<' (a comma, '@', ':') is malformed.
                var name = reader.Remaining[..angle].TrimEnd(" \t");
                foreach (var c in name)
                {
                    if (!SipGrammar.IsToken(c) && !SipGrammar.IsWhitespace(c))
                    {
                        return false;
                    }
                }

                display = name.IsEmpty ? null : new string(name);
                reader.Advance(angle);
            }
        }

        SipUri? uri;
        var bracketed = reader.Peek == '<';
        if (bracketed)
        {
            var inner = reader.Remaining[1..];
            var close = inner.IndexOf('>');
            if (close <= 0 || !SipUri.TryParse(SipStrings.Get(inner[..close]), out uri))
            {
                return false;
            }

            reader.Advance(close + 2);
        }
        else
        {
            // addr-spec: the URI runs to the first ';' or whitespace, and may carry neither params nor headers.
            var rest = reader.Remaining;
            var end = rest.IndexOfAny(';', ' ', '\t');
            var uriText = end >= 0 ? rest[..end] : rest;
            if (uriText.IsEmpty || uriText.Contains('?') || !SipUri.TryParse(SipStrings.Get(uriText), out uri))
            {
                return false;
            }

            reader.Advance(uriText.Length);
        }

        var parameters = new List<SipParameter>(1);
        if (!reader.TryReadParameters(parameters))
        {
            return false;
        }

        reader.SkipWhitespace();
        if (!reader.AtEnd)
        {
            return false;
        }

        result = new NameAddress(display, uri!, parameters, bracketed);
        return true;
    }
}
