namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Character classes of RFC 3261 §25.1, as lookup tables (the parser is on the hot path).</summary>
internal static class SipGrammar
{
    private static readonly bool[] _token = Build("-.!%*_+`'~");
    private static readonly bool[] _unreserved = Build("-_.!~*'()");
    private static readonly bool[] _userChar = Build("-_.!~*'()&=+$,;?/");
    private static readonly bool[] _passwordChar = Build("-_.!~*'()&=+$,");
    private static readonly bool[] _paramChar = Build("-_.!~*'()[]/:&+$");
    private static readonly bool[] _headerChar = Build("-_.!~*'()[]/?:+$");
    private static readonly bool[] _hostChar = Build("-.");

    private static bool[] Build(string extra)
    {
        var table = new bool[128];
        for (var c = '0'; c <= '9'; c++)
        {
            table[c] = true;
        }

        for (var c = 'a'; c <= 'z'; c++)
        {
            table[c] = true;
            table[char.ToUpperInvariant(c)] = true;
        }

        foreach (var c in extra)
        {
            table[c] = true;
        }

        return table;
    }

    public static bool IsToken(char c) => c < 128 && _token[c];

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsToken(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks a URI component: allowed characters, or a well-formed %HH escape.</summary>
    public static bool IsUriComponent(ReadOnlySpan<char> s, UriPart part)
    {
        var table = part switch
        {
            UriPart.User => _userChar,
            UriPart.Password => _passwordChar,
            UriPart.Param => _paramChar,
            UriPart.Header => _headerChar,
            _ => _unreserved,
        };
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (c >= 128 || !table[c])
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsHostName(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c >= 128 || !_hostChar[c])
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsIpv6Reference(ReadOnlySpan<char> s) =>
        s.Length > 2 && s[0] == '[' && s[^1] == ']' && IsIpv6Body(s[1..^1]);

    public static bool IsIpv6Body(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }

        return s.Contains(':');
    }

    /// <summary>Index of the first non-whitespace character at or after <paramref name="i"/>.</summary>
    public static int SkipWhitespace(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && IsWhitespace(s[i]))
        {
            i++;
        }

        return i;
    }
}

/// <summary>Which part of a SIP URI is being validated; each allows a different character set.</summary>
internal enum UriPart
{
    User,
    Password,
    Param,
    Header,
}
