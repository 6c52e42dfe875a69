namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>A status code and reason phrase that the stack answers a malformed request with.</summary>
/// <param name="Status">The SIP status code (400, 505, 416, ...).</param>
/// <param name="Reason">A short reason phrase naming the defect.</param>
public readonly record struct SipError(int Status, string Reason);

/// <summary>Common part of SIP requests and responses: ordered headers and a body.</summary>
public abstract class SipMessage
{
    private List<SipVia>? _vias;
    private bool _viasParsed;

    // The last parse of From and To, keyed by the header value it came from: the validator, the registrar, the
    // response factory and the transaction key all ask, and a REGISTER would otherwise parse each one three times.
    // Keyed by the value's reference, so a header replaced later is parsed afresh.
    private (string? Value, NameAddress? Parsed) _from;
    private (string? Value, NameAddress? Parsed) _to;

    /// <summary>Creates a message with room for <paramref name="headerCapacity"/> header lines before its list grows.</summary>
    private protected SipMessage(int headerCapacity) => Headers = new(headerCapacity);

    /// <summary>Header fields in the order received (or to be sent).</summary>
    public List<SipHeader> Headers { get; }

    /// <summary>The message body (may be empty).</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>The first defect found while parsing, or null for a well-formed message.</summary>
    public SipError? ParseError { get; internal set; }

    /// <summary>The first value of a header, or null.</summary>
    public string? GetHeader(string name)
    {
        foreach (var h in Headers)
        {
            if (IsNamed(h, name))
            {
                return h.Value;
            }
        }

        return null;
    }

    /// <summary>How many header lines carry this name.</summary>
    public int CountHeader(string name)
    {
        var n = 0;
        foreach (var h in Headers)
        {
            if (IsNamed(h, name))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>All values of a header across lines, splitting comma lists for list-valued headers.</summary>
    public List<string> GetHeaderValues(string name)
    {
        var values = new List<string>();
        var isList = SipHeaderNames.IsList(name);
        foreach (var h in Headers)
        {
            if (!IsNamed(h, name))
            {
                continue;
            }

            if (isList && h.Value.Contains(',', StringComparison.Ordinal))
            {
                HeaderListSplitter.Split(h.Value, values);
            }
            else
            {
                values.Add(h.Value);
            }
        }

        return values;
    }

    /// <summary>Appends a header.</summary>
    public void AddHeader(string name, string value) => Headers.Add(new SipHeader(name, value));

    /// <summary>Removes every line of a header.</summary>
    public void RemoveHeader(string name) => Headers.RemoveAll(h => IsNamed(h, name));

    /// <summary>The Call-ID, or null.</summary>
    public string? CallId => GetHeader(SipHeaderNames.CallId);

    /// <summary>All Via values, top first; null when any Via value is malformed.</summary>
    public List<SipVia>? Vias
    {
        get
        {
            if (!_viasParsed)
            {
                _viasParsed = true;
                var list = new List<SipVia>(1);
                foreach (var h in Headers)
                {
                    if (IsNamed(h, SipHeaderNames.Via) && !SipVia.TryParseList(h.Value, list))
                    {
                        list = null;
                        break;
                    }
                }

                _vias = list;
            }

            return _vias;
        }
    }

    /// <summary>The topmost Via, or null.</summary>
    public SipVia? TopVia => Vias is { Count: > 0 } v ? v[0] : null;

    /// <summary>Parses the To header, or null when absent or malformed.</summary>
    public NameAddress? ParseTo() => ParseAddress(SipHeaderNames.To, ref _to);

    /// <summary>Parses the From header, or null when absent or malformed.</summary>
    public NameAddress? ParseFrom() => ParseAddress(SipHeaderNames.From, ref _from);

    private NameAddress? ParseAddress(string name, ref (string? Value, NameAddress? Parsed) cache)
    {
        if (GetHeader(name) is not { } value)
        {
            return null;
        }

        if (!ReferenceEquals(cache.Value, value))
        {
            cache = (value, NameAddress.TryParse(value, out var address) ? address : null);
        }

        return cache.Parsed;
    }

    private static bool IsNamed(SipHeader h, string name) => SipHeaderNames.Same(h.Name, name);
}

/// <summary>A SIP request.</summary>
public sealed class SipRequest : SipMessage
{
    /// <summary>Creates a request.</summary>
    public SipRequest(string method, string requestUri)
        : base(12)
    {
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The method, case-sensitive (RFC 3261 §7.1).</summary>
    public string Method { get; }

    /// <summary>The Request-URI as received.</summary>
    public string RequestUri { get; }

    /// <summary>The Request-URI parsed as a URI without headers (RFC 3261 §19.1.1), or null when malformed; parsed
    /// once, since the validator, the registrar and the call router all read it.</summary>
    public SipUri? ParsedRequestUri
    {
        get
        {
            if (!_requestUriParsed)
            {
                _parsedRequestUri = SipUri.TryParse(RequestUri, out var uri, allowHeaders: false) ? uri : null;
                _requestUriParsed = true;
            }

            return _parsedRequestUri;
        }
    }

    private SipUri? _parsedRequestUri;
    private bool _requestUriParsed;

    /// <summary>Parses the CSeq, or null when absent or malformed.</summary>
    public SipCSeq? ParseCSeq() =>
        GetHeader(SipHeaderNames.CSeq) is { } v && SipCSeq.TryParse(v, Method, out var c) ? c : null;
}

/// <summary>A SIP response.</summary>
public sealed class SipResponse : SipMessage
{
    /// <summary>Creates a response.</summary>
    public SipResponse(int statusCode, string reasonPhrase)
        // Via, From, To, Call-ID, CSeq and two or three more (a 401's challenge; a 200's Contact and Date): 8 lines
        // fit the registrar's answers; 12 (a request's) left a third of the array unused in every response.
        : base(8)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
    }

    /// <summary>The status code, 100-699.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase (may be empty).</summary>
    public string ReasonPhrase { get; }

    /// <summary>How many leading headers <see cref="SipResponseFactory"/> copied from the request (Via … CSeq); 0 when
    /// the response was not built by it. A server transaction keeps only what follows them (decision 0066).</summary>
    internal int EchoedHeaders { get; set; }

    /// <summary>Where the copied To header sits and its value as added, so a changed echo is noticed.</summary>
    internal int EchoedToIndex { get; set; } = -1;

    /// <summary>The copied To value as the factory added it.</summary>
    internal string? EchoedTo { get; set; }

    /// <summary>The To tag the factory added; null when the request's To already had one.</summary>
    internal string? AddedToTag { get; set; }

    /// <summary>
    /// Set by a handler that can build this response again for a retransmission of its request (decision 0075): the
    /// server transaction then keeps <see cref="RegenerationState"/> instead of the response's bytes.
    /// </summary>
    internal Transactions.IResponseRegenerator? Regenerator { get; set; }

    /// <summary>What <see cref="Regenerator"/> needs to build the same response again (the registrar: its clock then).</summary>
    internal long RegenerationState { get; set; }

    /// <summary>The request's identity beyond its transaction key, which a retransmission must repeat; set by
    /// <see cref="SipResponseFactory.CreateRepeatable"/>.</summary>
    internal ulong? RequestIdentity { get; set; }

    /// <summary>
    /// True while the copied headers are as the factory left them (nothing inserted before them, To not replaced), so
    /// the response can be rebuilt from a retransmission of its request plus the bytes after them.
    /// </summary>
    internal bool HasIntactEcho =>
        EchoedHeaders > 0
        && Headers.Count >= EchoedHeaders
        && (EchoedToIndex < 0 || (EchoedToIndex < EchoedHeaders && ReferenceEquals(Headers[EchoedToIndex].Value, EchoedTo)));

    /// <summary>Parses the CSeq, or null.</summary>
    public SipCSeq? ParseCSeq() =>
        GetHeader(SipHeaderNames.CSeq) is { } v && SipCSeq.TryParse(v, null, out var c) ? c : null;
}
