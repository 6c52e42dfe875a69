using System.Net;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>A listen endpoint from configuration, e.g. <c>udp:0.0.0.0:5060</c>, <c>tcp:[::1]:0</c> or <c>tls:0.0.0.0</c>.</summary>
/// <param name="Transport">UDP, TCP or TLS.</param>
/// <param name="EndPoint">Address and port (0 = any free port).</param>
public sealed record SipListenEndpoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <summary>Parses <c>transport:address[:port]</c>; IPv6 addresses in brackets; without a port, 5061 for TLS and
    /// 5060 otherwise (RFC 3261 §19.1.2).</summary>
    public static SipListenEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"SIP listen endpoint '{text}' must look like udp:0.0.0.0:5060 or tcp:[::]:5060.");
        }

        var transport = SipTransportNames.FromConfigName(text[..colon])
            ?? throw new FormatException($"Unsupported SIP transport '{text[..colon].Trim()}' in '{text}' (use udp, tcp or tls).");
        var rest = text[(colon + 1)..].Trim();
        var hasPort = rest.StartsWith('[') ? rest.Contains("]:", StringComparison.Ordinal) : rest.Count(c => c == ':') == 1;
        // Only a dotted IPv4 or a bracketed IPv6 address may omit the port ("5060" alone would parse as an address).
        var plainAddress = (rest.StartsWith('[') && rest.EndsWith(']')) || rest.Count(c => c == '.') == 3;
        if (!hasPort && plainAddress && IPAddress.TryParse(rest.Trim('[', ']'), out var address))
        {
            return new SipListenEndpoint(transport, new IPEndPoint(address, transport == SipTransportKind.Tls ? 5061 : 5060));
        }

        if (!hasPort || !IPEndPoint.TryParse(rest, out var endPoint))
        {
            throw new FormatException($"SIP listen endpoint '{text}' has no valid address:port (IPv6 needs [brackets]).");
        }

        return new SipListenEndpoint(transport, endPoint);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Transport.ToConfigName()}:{EndPoint}";
}
