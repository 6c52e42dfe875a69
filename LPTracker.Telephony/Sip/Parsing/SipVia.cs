using System.Globalization;
using System.Text;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>One Via header value (RFC 3261 §20.42) with the RFC 3581 <c>rport</c> extension.</summary>
public sealed class SipVia
{
    // Every response copies the Via back, so its text is built in one reused builder per thread.
    [ThreadStatic]
    private static StringBuilder? _builder;

    private readonly List<SipParameter> _parameters;

    private SipVia(string protocol, string transport, string host, int? port, List<SipParameter> parameters)
    {
        Protocol = protocol;
        Transport = transport;
        Host = host;
        Port = port;
        _parameters = parameters;
    }

    /// <summary>Protocol name and version, normally <c>SIP/2.0</c>.</summary>
    public string Protocol { get; }

    /// <summary>Transport in upper case: UDP, TCP, TLS, SCTP, WS or an extension.</summary>
    public string Transport { get; }

    /// <summary>The sent-by host (IPv6 with brackets).</summary>
    public string Host { get; }

    /// <summary>The sent-by port, or null.</summary>
    public int? Port { get; }

    /// <summary>All parameters in order.</summary>
    public IReadOnlyList<SipParameter> Parameters => _parameters;

    /// <summary>The branch (transaction id), or null.</summary>
    public string? Branch => _parameters.Get("branch");

    /// <summary>The <c>received</c> parameter, or null.</summary>
    public string? Received => _parameters.Get("received");

    /// <summary>True when the client asked for symmetric response routing (RFC 3581).</summary>
    public bool HasRPort => _parameters.TryGet("rport", out _);

    /// <summary>Sets <c>received</c> and fills <c>rport</c> as a server does on receipt (RFC 3261 §18.2.1, RFC 3581 §4).</summary>
    public void StampReceived(string sourceAddress, int sourcePort)
    {
        var hostIsSource = Host.Trim('[', ']').Equals(sourceAddress, StringComparison.OrdinalIgnoreCase);
        var rportIndex = _parameters.FindIndex(p => p.Name.Equals("rport", StringComparison.OrdinalIgnoreCase));
        if (rportIndex >= 0)
        {
            // From the recent-strings table: a phone sends from the same port every time.
            Span<char> digits = stackalloc char[11];
            sourcePort.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
            _parameters[rportIndex] = new SipParameter("rport", SipStrings.Get(digits[..written]));
        }

        // With rport, received is added even when the host matches (RFC 3581 §4).
        if (!hostIsSource || rportIndex >= 0)
        {
            _parameters.RemoveAll(p => p.Name.Equals("received", StringComparison.OrdinalIgnoreCase));
            _parameters.Add(new SipParameter("received", sourceAddress));
        }
    }

    /// <summary>Writes the value back in canonical form.</summary>
    public override string ToString()
    {
        var sb = _builder ??= new StringBuilder(256);
        sb.Clear();
        sb.Append(Protocol).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port is { } port)
        {
            sb.Append(':').Append(port);
        }

        foreach (var p in _parameters)
        {
            sb.Append(';').Append(p.Name);
            if (p.Value is not null)
            {
                var quote = p.Value.Length == 0 || !IsPlain(p.Value);
                sb.Append('=');
                if (quote)
                {
                    sb.Append('"').Append(p.Value.Replace("\\", "\\\\", StringComparison.Ordinal)
                        .Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                }
                else
                {
                    sb.Append(p.Value);
                }
            }
        }

        return sb.ToString();
    }

    private static bool IsPlain(string value)
    {
        foreach (var c in value)
        {
            if (!SipGrammar.IsToken(c) && c is not (':' or '[' or ']'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses a Via header line, which may carry several comma-separated values.</summary>
    public static bool TryParseList(string value, List<SipVia> into)
    {
        var reader = new HeaderValueReader(value);
        do
        {
            if (!TryParseOne(ref reader, out var via))
            {
                return false;
            }

            into.Add(via!);
            reader.SkipWhitespace();
        }
        while (reader.TryConsumeSeparator(','));

        return reader.AtEnd;
    }

    private static bool TryParseOne(ref HeaderValueReader reader, out SipVia? via)
    {
        via = null;
        reader.SkipWhitespace();
        if (!reader.TryReadToken(out var name))
        {
            return false;
        }

        if (!reader.TryConsumeSeparator('/') || !reader.TryReadToken(out var version))
        {
            return false;
        }

        var protocol = name is "SIP" && version is "2.0" ? "SIP/2.0" : string.Concat(name, "/", version);
        if (!reader.TryConsumeSeparator('/') || !reader.TryReadToken(out var transport))
        {
            return false;
        }

        Span<char> upper = stackalloc char[Math.Min(transport.Length, SipStrings.MaxLength + 1)];
        var transportText = transport.Length > SipStrings.MaxLength
            ? new string(transport).ToUpperInvariant()
            : SipStrings.Get(upper[..transport.ToUpperInvariant(upper)]);
        reader.SkipWhitespace();
        var rest = reader.Remaining;
        var end = 0;
        while (end < rest.Length && rest[end] is not (';' or ',' or ' ' or '\t'))
        {
            end++;
        }

        if (!SipUri.TryParseHostPort(rest[..end], out var host, out var port))
        {
            return false;
        }

        reader.Advance(end);
        var parameters = new List<SipParameter>(3);
        if (!reader.TryReadParameters(parameters))
        {
            return false;
        }

        via = new SipVia(protocol, transportText, host, port, parameters);
        return true;
    }
}
