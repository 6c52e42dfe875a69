using System.Text;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// A cursor over one header value implementing the shared lexical rules of RFC 3261 §25.1: LWS around
/// separators, tokens, quoted strings with quoted-pairs, and <c>;name=value</c> generic parameters.
/// </summary>
internal ref struct HeaderValueReader
{
    private readonly ReadOnlySpan<char> _s;
    private int _pos;

    public HeaderValueReader(ReadOnlySpan<char> s)
    {
        _s = s;
        _pos = 0;
    }

    public readonly bool AtEnd => _pos >= _s.Length;

    public readonly int Position => _pos;

    public readonly char Peek => _pos < _s.Length ? _s[_pos] : '\0';

    public readonly ReadOnlySpan<char> Remaining => _s[_pos..];

    public void SkipWhitespace() => _pos = SipGrammar.SkipWhitespace(_s, _pos);

    public void Advance(int count) => _pos += count;

    /// <summary>Consumes <paramref name="c"/> surrounded by optional whitespace (the SEMI/COMMA/EQUAL/SLASH rules).</summary>
    public bool TryConsumeSeparator(char c)
    {
        var save = _pos;
        SkipWhitespace();
        if (Peek == c)
        {
            _pos++;
            SkipWhitespace();
            return true;
        }

        _pos = save;
        return false;
    }

    public bool TryReadToken(out ReadOnlySpan<char> token)
    {
        var start = _pos;
        while (_pos < _s.Length && SipGrammar.IsToken(_s[_pos]))
        {
            _pos++;
        }

        token = _s[start.._pos];
        return !token.IsEmpty;
    }

    /// <summary>
    /// Reads a quoted-string at the cursor without making a string when it has no quoted-pairs: its content is then
    /// <paramref name="length"/> characters from <paramref name="start"/>; with quoted-pairs it is
    /// <paramref name="unescaped"/>.
    /// </summary>
    public bool TryReadQuotedRange(out int start, out int length, out string? unescaped)
    {
        start = _pos + 1;
        length = 0;
        unescaped = null;
        if (Peek != '"')
        {
            return false;
        }

        for (var i = start; i < _s.Length; i++)
        {
            switch (_s[i])
            {
                case '"':
                    length = i - start;
                    _pos = i + 1;
                    return true;
                case '\\':
                    if (!TryReadQuoted(out var value))
                    {
                        return false;
                    }

                    unescaped = value;
                    length = value.Length;
                    return true;
                case '\r' or '\n':
                    return false;
            }
        }

        return false;
    }

    /// <summary>Reads a quoted-string at the cursor and returns its unescaped content.</summary>
    public bool TryReadQuoted(out string value)
    {
        value = "";
        if (Peek != '"')
        {
            return false;
        }

        var i = _pos + 1;
        StringBuilder? sb = null;
        var runStart = i;
        while (i < _s.Length)
        {
            var c = _s[i];
            if (c == '"')
            {
                value = sb is null ? new string(_s[runStart..i]) : sb.Append(_s[runStart..i]).ToString();
                _pos = i + 1;
                return true;
            }

            if (c == '\\')
            {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                if (i + 1 >= _s.Length || _s[i + 1] is '\r' or '\n' || _s[i + 1] > (char)0x7F)
                {
                    return false;
                }

                sb ??= new StringBuilder();
                sb.Append(_s[runStart..i]).Append(_s[i + 1]);
                i += 2;
                runStart = i;
                continue;
            }

            if (c is '\r' or '\n')
            {
                return false;
            }

            i++;
        }

        return false;
    }

    /// <summary>Reads <c>*( SEMI name [EQUAL value] )</c>, stopping before anything that is not a parameter.</summary>
    public bool TryReadParameters(List<SipParameter> into)
    {
        while (TryConsumeSeparator(';'))
        {
            if (!TryReadToken(out var name))
            {
                return false;
            }

            string? value = null;
            if (TryConsumeSeparator('='))
            {
                if (Peek == '"')
                {
                    if (!TryReadQuoted(out var quoted))
                    {
                        return false;
                    }

                    value = quoted;
                }
                else
                {
                    var start = _pos;
                    while (_pos < _s.Length && (SipGrammar.IsToken(_s[_pos]) || _s[_pos] is ':' or '[' or ']'))
                    {
                        _pos++;
                    }

                    if (_pos == start)
                    {
                        return false;
                    }

                    value = SipStrings.Get(_s[start.._pos]);
                }
            }

            into.Add(new SipParameter(SipStrings.Get(name), value));
        }

        return true;
    }
}
