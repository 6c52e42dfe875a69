namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Canonical names of the header fields the stack understands, and their compact forms (RFC 3261 §7.3.3).</summary>
public static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string Contact = "Contact";
    public const string MaxForwards = "Max-Forwards";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string ContentEncoding = "Content-Encoding";
    public const string Expires = "Expires";
    public const string MinExpires = "Min-Expires";
    public const string Authorization = "Authorization";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string Require = "Require";
    public const string ProxyRequire = "Proxy-Require";
    public const string Supported = "Supported";
    public const string Unsupported = "Unsupported";
    public const string Allow = "Allow";
    public const string Accept = "Accept";
    public const string UserAgent = "User-Agent";
    public const string Server = "Server";
    public const string Date = "Date";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Subject = "Subject";
    public const string Event = "Event";
    public const string ReferTo = "Refer-To";
    public const string ReferredBy = "Referred-By";
    public const string AllowEvents = "Allow-Events";
    public const string SessionExpires = "Session-Expires";
    public const string Identity = "Identity";
    public const string AcceptContact = "Accept-Contact";
    public const string RejectContact = "Reject-Contact";
    public const string RequestDisposition = "Request-Disposition";
    public const string IdentityInfo = "Identity-Info";
    public const string RetryAfter = "Retry-After";
    public const string Warning = "Warning";
    public const string Path = "Path";

    // Ordered so the most frequent names in a REGISTER are compared first.
    private static readonly string[] _known =
    [
        Via, From, To, CallId, CSeq, Contact, MaxForwards, ContentLength, Expires, Authorization, UserAgent,
        Allow, Supported, ContentType, Require, ProxyRequire, Accept, WwwAuthenticate, ProxyAuthorization,
        ProxyAuthenticate, Unsupported, MinExpires, Server, Date, Route, RecordRoute, Subject, Event, ReferTo,
        ReferredBy, AllowEvents, SessionExpires, Identity, AcceptContact, RejectContact, RequestDisposition,
        IdentityInfo, RetryAfter, Warning, Path, ContentEncoding,
    ];

    /// <summary>
    /// The constant for a received header name spelt exactly as registered (as nearly every phone sends the headers of
    /// a REGISTER), read straight from the datagram's bytes; null for any other spelling, which then goes through
    /// <see cref="Canonicalize"/>. Skips widening, the token check and the case-insensitive search of the whole list
    /// for the common case (perf: 2.5 % of the warm registrar's CPU).
    /// </summary>
    internal static string? FromCanonicalBytes(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("To"u8) => To,
        3 when name.SequenceEqual("Via"u8) => Via,
        4 when name.SequenceEqual("From"u8) => From,
        4 when name.SequenceEqual("CSeq"u8) => CSeq,
        5 when name.SequenceEqual("Allow"u8) => Allow,
        7 when name.SequenceEqual("Call-ID"u8) => CallId,
        7 when name.SequenceEqual("Contact"u8) => Contact,
        7 when name.SequenceEqual("Expires"u8) => Expires,
        9 when name.SequenceEqual("Supported"u8) => Supported,
        10 when name.SequenceEqual("User-Agent"u8) => UserAgent,
        12 when name.SequenceEqual("Max-Forwards"u8) => MaxForwards,
        12 when name.SequenceEqual("Content-Type"u8) => ContentType,
        13 when name.SequenceEqual("Authorization"u8) => Authorization,
        14 when name.SequenceEqual("Content-Length"u8) => ContentLength,
        _ => null,
    };

    /// <summary>
    /// True when two header names are the same name (case-insensitive). Parsed names of known headers are these
    /// constants, which callers ask with, so a match is mostly the same instance; the length check keeps the many
    /// misses of a lookup out of the case-insensitive comparison (perf: 1.7 % of the warm registrar's CPU was
    /// <c>String.Equals</c> on header names).
    /// </summary>
    internal static bool Same(string a, string b) =>
        ReferenceEquals(a, b) || (a.Length == b.Length && a.Equals(b, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Returns the canonical spelling for a received header name: compact forms are expanded and known names
    /// get their registered case (header names are case-insensitive). Unknown names are returned as received.
    /// </summary>
    public static string Canonicalize(ReadOnlySpan<char> name)
    {
        if (name.Length == 1)
        {
            var compact = ExpandCompact(name[0]);
            if (compact is not null)
            {
                return compact;
            }
        }

        foreach (var known in _known)
        {
            if (known.Length == name.Length && name.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return new string(name);
    }

    /// <summary>Expands a compact header form (RFC 3261 and later registrations), or returns null.</summary>
    public static string? ExpandCompact(char c) => char.ToLowerInvariant(c) switch
    {
        'i' => CallId,
        'm' => Contact,
        'e' => ContentEncoding,
        'l' => ContentLength,
        'c' => ContentType,
        'f' => From,
        's' => Subject,
        'k' => Supported,
        't' => To,
        'v' => Via,
        'o' => Event,
        'r' => ReferTo,
        'b' => ReferredBy,
        'u' => AllowEvents,
        'x' => SessionExpires,
        'y' => Identity,
        'a' => AcceptContact,
        'j' => RejectContact,
        'd' => RequestDisposition,
        'n' => IdentityInfo,
        _ => null,
    };

    /// <summary>True for headers whose grammar is a comma-separated list, so several values may share one line.</summary>
    public static bool IsList(string canonicalName) => canonicalName switch
    {
        Via or Contact or Route or RecordRoute or Allow or Supported or Require or ProxyRequire or Unsupported
            or Accept or AllowEvents or ContentEncoding or Path => true,
        _ => false,
    };
}
