using System.Runtime.CompilerServices;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// A URI as found in a SIP message. SIP and SIPS URIs (RFC 3261 §19.1) are parsed into user, host, port,
/// parameters and headers; any other scheme is kept as an absolute URI with only its scheme known.
/// </summary>
public sealed class SipUri
{
    private static readonly SipParameter[] _noParameters = [];

    private SipUri(string raw, string scheme)
    {
        Raw = raw;
        Scheme = scheme;
    }

    /// <summary>The URI exactly as received.</summary>
    public string Raw { get; }

    /// <summary>The scheme, lower-cased for sip/sips.</summary>
    public string Scheme { get; }

    /// <summary>True for <c>sip:</c> and <c>sips:</c> URIs.</summary>
    public bool IsSip { get; private init; }

    /// <summary>The user part (still %-escaped), or null.</summary>
    public string? User { get; private init; }

    /// <summary>The host: a name, an IPv4 address or an IPv6 reference with brackets.</summary>
    public string Host { get; private init; } = "";

    /// <summary>The explicit port, or null.</summary>
    public int? Port { get; private init; }

    /// <summary>URI parameters (<c>;transport=tcp;lr</c>).</summary>
    public IReadOnlyList<SipParameter> Parameters { get; private init; } = _noParameters;

    /// <summary>The raw header component after <c>?</c>, or null.</summary>
    public string? Headers { get; private init; }

    /// <summary>Host, with port when one was given.</summary>
    public string HostPort => Port is { } p ? $"{Host}:{p}" : Host;

    /// <inheritdoc />
    public override string ToString() => Raw;

    /// <summary>Parses a URI. <paramref name="allowHeaders"/> is false for a Request-URI (RFC 3261 §19.1.1).</summary>
    public static bool TryParse(string raw, out SipUri? uri, bool allowHeaders = true)
    {
        // A SipUri is immutable, so one parse serves every request naming the same string instance: the recent-strings
        // table (decision 0078) hands out the same instance for the Request-URI of every REGISTER and for the To, From
        // and Contact URIs a REGISTER answering a challenge repeats. Only URIs without headers are kept, which parse
        // the same whether or not headers are allowed.
        ref var slot = ref RecentSlot(raw);
        if (ReferenceEquals(slot.Raw, raw))
        {
            uri = slot.Uri;
            return true;
        }

        if (!TryParseText(raw, out uri, allowHeaders))
        {
            return false;
        }

        if (uri!.Headers is null)
        {
            slot = new Recent(raw, uri);
        }

        return true;
    }

    // Per thread (the UDP receive threads run on different cores), keyed by the string's identity: a lookup costs the
    // object's identity hash and one comparison of references, never the text.
    [ThreadStatic]
    private static Recent[]? _recent;

    private static ref Recent RecentSlot(string raw) =>
        ref (_recent ??= new Recent[512])[RuntimeHelpers.GetHashCode(raw) & 511];

    private readonly record struct Recent(string Raw, SipUri Uri);

    private static bool TryParseText(string raw, out SipUri? uri, bool allowHeaders)
    {
        uri = null;
        var s = raw.AsSpan();
        var colon = s.IndexOf(':');
        if (colon <= 0 || !IsScheme(s[..colon]))
        {
            return false;
        }

        var scheme = s[..colon];
        var isSip = scheme.Equals("sip", StringComparison.OrdinalIgnoreCase);
        if (!isSip && !scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseAbsolute(raw, colon, out uri);
        }

        return TryParseSip(raw, isSip ? "sip" : "sips", colon + 1, allowHeaders, out uri);
    }

    private static bool TryParseSip(string raw, string scheme, int start, bool allowHeaders, out SipUri? uri)
    {
        uri = null;
        var rest = raw.AsSpan(start);
        string? user = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            // The user part may hold ';', '?' and '/', but neither it nor params or headers may hold a raw '@'.
            if (rest[(at + 1)..].Contains('@'))
            {
                return false;
            }

            var userInfo = rest[..at];
            var pwd = userInfo.IndexOf(':');
            var userPart = pwd >= 0 ? userInfo[..pwd] : userInfo;
            if (userPart.IsEmpty || !SipGrammar.IsUriComponent(userPart, UriPart.User)
                || (pwd >= 0 && !SipGrammar.IsUriComponent(userInfo[(pwd + 1)..], UriPart.Password)))
            {
                return false;
            }

            user = SipStrings.Get(userPart);
            rest = rest[(at + 1)..];
        }

        string? headers = null;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            var headerPart = rest[(q + 1)..];
            if (!allowHeaders || !IsHeaders(headerPart))
            {
                return false;
            }

            headers = new string(headerPart);
            rest = rest[..q];
        }

        var semi = rest.IndexOf(';');
        var hostPort = semi >= 0 ? rest[..semi] : rest;
        if (!TryParseHostPort(hostPort, out var host, out var port))
        {
            return false;
        }

        var parameters = _noParameters as IReadOnlyList<SipParameter>;
        if (semi >= 0 && !TryParseUriParameters(rest[(semi + 1)..], out parameters))
        {
            return false;
        }

        uri = new SipUri(raw, scheme)
        {
            IsSip = true, User = user, Host = host, Port = port, Parameters = parameters, Headers = headers,
        };
        return true;
    }

    /// <summary>Parses <c>host[:port]</c> where host may be an IPv6 reference.</summary>
    internal static bool TryParseHostPort(ReadOnlySpan<char> s, out string host, out int? port)
    {
        host = "";
        port = null;
        ReadOnlySpan<char> hostSpan;
        ReadOnlySpan<char> portSpan = default;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0 || !SipGrammar.IsIpv6Reference(s[..(close + 1)]))
            {
                return false;
            }

            hostSpan = s[..(close + 1)];
            var after = s[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                portSpan = after[1..];
                if (portSpan.IsEmpty)
                {
                    return false;
                }
            }
        }
        else
        {
            var colon = s.IndexOf(':');
            hostSpan = colon >= 0 ? s[..colon] : s;
            if (colon >= 0)
            {
                portSpan = s[(colon + 1)..];
                if (portSpan.IsEmpty)
                {
                    return false;
                }
            }

            if (!SipGrammar.IsHostName(hostSpan))
            {
                return false;
            }
        }

        if (!portSpan.IsEmpty)
        {
            if (portSpan.Length > 5 || !int.TryParse(portSpan, System.Globalization.NumberStyles.None, null, out var p)
                || p > 65535)
            {
                return false;
            }

            port = p;
        }

        host = SipStrings.Get(hostSpan);
        return true;
    }

    private static bool TryParseUriParameters(ReadOnlySpan<char> s, out IReadOnlyList<SipParameter> parameters)
    {
        var list = new List<SipParameter>(2);
        parameters = list;
        foreach (var range in s.Split(';'))
        {
            var part = s[range];
            var eq = part.IndexOf('=');
            var name = eq >= 0 ? part[..eq] : part;
            if (name.IsEmpty || !SipGrammar.IsUriComponent(name, UriPart.Param))
            {
                return false;
            }

            string? value = null;
            if (eq >= 0)
            {
                var v = part[(eq + 1)..];
                if (v.IsEmpty || !SipGrammar.IsUriComponent(v, UriPart.Param))
                {
                    return false;
                }

                value = SipStrings.Get(v);
            }

            list.Add(new SipParameter(SipStrings.Get(name), value));
        }

        return true;
    }

    private static bool IsHeaders(ReadOnlySpan<char> s)
    {
        foreach (var range in s.Split('&'))
        {
            var part = s[range];
            var eq = part.IndexOf('=');
            if (eq <= 0 || !SipGrammar.IsUriComponent(part[..eq], UriPart.Header)
                || !SipGrammar.IsUriComponent(part[(eq + 1)..], UriPart.Header))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsScheme(ReadOnlySpan<char> s)
    {
        if (!char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseAbsolute(string raw, int colon, out SipUri? uri)
    {
        uri = null;
        var rest = raw.AsSpan(colon + 1);
        if (rest.IsEmpty)
        {
            return false;
        }

        foreach (var c in rest)
        {
            if (c <= ' ' || c >= 127 || c is '<' or '>' or '"')
            {
                return false;
            }
        }

        uri = new SipUri(raw, raw[..colon]);
        return true;
    }
}
