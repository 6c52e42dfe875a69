using System.Globalization;
using System.Net;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Calls.Trunks;

/// <summary>A configured carrier with its address resolved.</summary>
/// <param name="Name">For logs.</param>
/// <param name="EndPoint">The carrier's address and port: INVITEs from it are trunk calls; calls out go to it.</param>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="Username">Digest user for calls out, or null.</param>
/// <param name="Password">Digest password for calls out, or null (never logged).</param>
public sealed record SipTrunk(string Name, IPEndPoint EndPoint, SipTransportKind Transport, string? Username, string? Password)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Transport}:{EndPoint})";
}

/// <summary>The trunks of <c>Sip:Trunks</c>: which source addresses are carriers, and the first one for calls out.</summary>
public sealed class TrunkTable
{
    private readonly IReadOnlyList<SipTrunk> _trunks;

    /// <summary>Resolves every configured trunk (names through DNS, once, at start-up).</summary>
    public TrunkTable(IEnumerable<SipTrunkOptions> options) => _trunks = options.Select(Resolve).ToList();

    /// <summary>The trunks in configuration order.</summary>
    public IReadOnlyList<SipTrunk> All => _trunks;

    /// <summary>The trunk calls out leave through, or null when none is configured.</summary>
    public SipTrunk? Outbound => _trunks.Count > 0 ? _trunks[0] : null;

    /// <summary>The trunk a message came from: its source address and port equal a trunk's <c>Address</c>.</summary>
    public SipTrunk? Match(IPEndPoint source)
    {
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        foreach (var trunk in _trunks)
        {
            if (trunk.EndPoint.Port == source.Port && trunk.EndPoint.Address.Equals(address))
            {
                return trunk;
            }
        }

        return null;
    }

    private static SipTrunk Resolve(SipTrunkOptions o)
    {
        var colon = o.Address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(o.Address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Sip:Trunks: '{o.Name}' needs Address as host:port, not '{o.Address}'.");
        }

        var host = o.Address[..colon].Trim('[', ']');
        var address = IPAddress.TryParse(host, out var ip) ? ip
            : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new InvalidOperationException($"Sip:Trunks: cannot resolve '{host}'.");
        var transport = o.Transport.Equals("tcp", StringComparison.OrdinalIgnoreCase) ? SipTransportKind.Tcp
            : o.Transport.Equals("udp", StringComparison.OrdinalIgnoreCase) ? SipTransportKind.Udp
            : throw new InvalidOperationException($"Sip:Trunks: '{o.Name}' Transport must be udp or tcp.");
        return new SipTrunk(o.Name, new IPEndPoint(address, port), transport, o.Username, o.Password);
    }
}
