using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>The parameters of an <c>Authorization: Digest ...</c> header (RFC 7616 §3.4). Never log an instance.</summary>
public sealed class DigestCredentials
{
    public string? UserName { get; private set; }
    public string? Realm { get; private set; }
    public string? Nonce { get; private set; }
    public string? Uri { get; private set; }
    public string? Response { get; private set; }
    public string? Algorithm { get; private set; }
    public string? CNonce { get; private set; }
    public string? Qop { get; private set; }
    public string? NonceCount { get; private set; }
    public string? Opaque { get; private set; }

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

        var result = new DigestCredentials();
        reader.SkipWhitespace();
        do
        {
            if (!reader.TryReadToken(out var name) || !reader.TryConsumeSeparator('='))
            {
                return false;
            }

            string paramValue;
            if (reader.Peek == '"')
            {
                if (!reader.TryReadQuoted(out paramValue))
                {
                    return false;
                }
            }
            else if (reader.TryReadToken(out var token))
            {
                paramValue = new string(token);
            }
            else
            {
                return false;
            }

            result.Set(name, paramValue);
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

    private void Set(ReadOnlySpan<char> name, string value)
    {
        if (name.Equals("username", StringComparison.OrdinalIgnoreCase)) UserName = value;
        else if (name.Equals("realm", StringComparison.OrdinalIgnoreCase)) Realm = value;
        else if (name.Equals("nonce", StringComparison.OrdinalIgnoreCase)) Nonce = value;
        else if (name.Equals("uri", StringComparison.OrdinalIgnoreCase)) Uri = value;
        else if (name.Equals("response", StringComparison.OrdinalIgnoreCase)) Response = value;
        else if (name.Equals("algorithm", StringComparison.OrdinalIgnoreCase)) Algorithm = value;
        else if (name.Equals("cnonce", StringComparison.OrdinalIgnoreCase)) CNonce = value;
        else if (name.Equals("qop", StringComparison.OrdinalIgnoreCase)) Qop = value;
        else if (name.Equals("nc", StringComparison.OrdinalIgnoreCase)) NonceCount = value;
        else if (name.Equals("opaque", StringComparison.OrdinalIgnoreCase)) Opaque = value;
    }
}
