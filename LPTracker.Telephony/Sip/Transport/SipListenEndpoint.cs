using System.Net;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>A listen endpoint from configuration, e.g. <c>udp:0.0.0.0:5060</c> or <c>tcp:[::1]:0</c>.</summary>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="EndPoint">Address and port (0 = any free port).</param>
public sealed record SipListenEndpoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <summary>Parses <c>transport:address:port</c>; IPv6 addresses in brackets.</summary>
    public static SipListenEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"SIP listen endpoint '{text}' must look like udp:0.0.0.0:5060 or tcp:[::]:5060.");
        }

        var transport = text[..colon].Trim().ToLowerInvariant() switch
        {
            "udp" => SipTransportKind.Udp,
            "tcp" => SipTransportKind.Tcp,
            var other => throw new FormatException($"Unsupported SIP transport '{other}' in '{text}' (use udp or tcp)."),
        };
        var rest = text[(colon + 1)..].Trim();
        // Demand an explicit port: IPEndPoint.TryParse would read "5060" as an address.
        var hasPort = rest.StartsWith('[') ? rest.Contains("]:", StringComparison.Ordinal) : rest.Count(c => c == ':') == 1;
        if (!hasPort || !IPEndPoint.TryParse(rest, out var endPoint))
        {
            throw new FormatException($"SIP listen endpoint '{text}' has no valid address:port (IPv6 needs [brackets]).");
        }

        return new SipListenEndpoint(transport, endPoint);
    }

    /// <inheritdoc />
    public override string ToString() => $"{(Transport == SipTransportKind.Tcp ? "tcp" : "udp")}:{EndPoint}";
}
