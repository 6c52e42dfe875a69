using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>
/// The parameters of an <c>Authorization: Digest ...</c> header (RFC 7616 §3.4). Never log an instance.
/// Parameters are kept as ranges of the header value and become strings only when a string property is read: the
/// registrar compares and hashes them as spans (<see cref="DigestAuthenticator"/>), one authenticated REGISTER
/// at a time, and needs only the user name and the nonce as strings.
/// </summary>
public sealed class DigestCredentials
{
    private string _source = "";
    private Param _userName;
    private Param _realm;
    private Param _nonce;
    private Param _uri;
    private Param _response;
    private Param _algorithm;
    private Param _cnonce;
    private Param _qop;
    private Param _nc;
    private Param _opaque;

    public string? UserName => _userName.Present ? _userName.Unescaped ??= SipStrings.Get(_source.AsSpan(_userName.Start, _userName.Length)) : null;
    public string? Realm => Text(ref _realm);
    public string? Nonce => Text(ref _nonce);
    public string? Uri => Text(ref _uri);
    public string? Response => Text(ref _response);
    public string? Algorithm => Text(ref _algorithm);
    public string? CNonce => Text(ref _cnonce);
    public string? Qop => Text(ref _qop);
    public string? NonceCount => Text(ref _nc);
    public string? Opaque => Text(ref _opaque);

    internal bool HasUri => _uri.Present;
    internal bool HasResponse => _response.Present;
    internal bool HasRealm => _realm.Present;
    internal bool HasAlgorithm => _algorithm.Present;
    internal bool HasCNonce => _cnonce.Present;
    internal bool HasNonce => _nonce.Present;
    internal ReadOnlySpan<char> NonceSpan => Span(in _nonce);
    internal ReadOnlySpan<char> RealmSpan => Span(in _realm);
    internal ReadOnlySpan<char> UriSpan => Span(in _uri);
    internal ReadOnlySpan<char> ResponseSpan => Span(in _response);
    internal ReadOnlySpan<char> AlgorithmSpan => Span(in _algorithm);
    internal ReadOnlySpan<char> CNonceSpan => Span(in _cnonce);
    internal ReadOnlySpan<char> QopSpan => Span(in _qop);
    internal ReadOnlySpan<char> NonceCountSpan => Span(in _nc);

    /// <summary>Parses a header value. Returns false for another scheme or malformed syntax.</summary>
    public static bool TryParse(string value, out DigestCredentials? credentials)
    {
        credentials = null;
        var reader = new HeaderValueReader(value);
        reader.SkipWhitespace();
        if (!reader.TryReadToken(out var scheme) || !scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var result = new DigestCredentials { _source = value };
        reader.SkipWhitespace();
        do
        {
            if (!reader.TryReadToken(out var name) || !reader.TryConsumeSeparator('='))
            {
                return false;
            }

            Param param;
            if (reader.Peek == '"')
            {
                if (!reader.TryReadQuotedRange(out var start, out var length, out var unescaped))
                {
                    return false;
                }

                param = new Param(start, length, unescaped);
            }
            else
            {
                var start = reader.Position;
                if (!reader.TryReadToken(out var token))
                {
                    return false;
                }

                param = new Param(start, token.Length, null);
            }

            result.Set(name, param);
            reader.SkipWhitespace();
        }
        while (reader.TryConsumeSeparator(','));

        if (!reader.AtEnd)
        {
            return false;
        }

        credentials = result;
        return true;
    }

    private string? Text(ref Param p) => !p.Present ? null : p.Unescaped ??= _source.Substring(p.Start, p.Length);

    private ReadOnlySpan<char> Span(in Param p) => p.Unescaped is { } text ? text : p.Present ? _source.AsSpan(p.Start, p.Length) : default;

    private void Set(ReadOnlySpan<char> name, Param value)
    {
        // By length first: each name is then compared once, not against the whole list (ten parameters a header).
        switch (name.Length)
        {
            case 2 when name.Equals("nc", StringComparison.OrdinalIgnoreCase): _nc = value; break;
            case 3 when name.Equals("uri", StringComparison.OrdinalIgnoreCase): _uri = value; break;
            case 3 when name.Equals("qop", StringComparison.OrdinalIgnoreCase): _qop = value; break;
            case 5 when name.Equals("realm", StringComparison.OrdinalIgnoreCase): _realm = value; break;
            case 5 when name.Equals("nonce", StringComparison.OrdinalIgnoreCase): _nonce = value; break;
            case 6 when name.Equals("cnonce", StringComparison.OrdinalIgnoreCase): _cnonce = value; break;
            case 6 when name.Equals("opaque", StringComparison.OrdinalIgnoreCase): _opaque = value; break;
            case 8 when name.Equals("username", StringComparison.OrdinalIgnoreCase): _userName = value; break;
            case 8 when name.Equals("response", StringComparison.OrdinalIgnoreCase): _response = value; break;
            case 9 when name.Equals("algorithm", StringComparison.OrdinalIgnoreCase): _algorithm = value; break;
        }
    }

    /// <summary>A parameter's place in the header value; <see cref="Unescaped"/> holds it once it is a string (always
    /// for a quoted value with quoted-pairs).</summary>
    private struct Param(int start, int length, string? unescaped)
    {
        public readonly int Start = start;
        public readonly int Length = length;
        public readonly bool Present = true;
        public string? Unescaped = unescaped;
    }
}
