using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Configuration;

namespace LPTracker.Telephony.Cluster;

/// <summary>
/// How this node takes part in a cluster: <c>Node:SipAddress</c> (where the other nodes send it the calls of its
/// phones; default: this machine's first non-loopback IPv4 address and the port of the first UDP listener) and
/// <c>Node:HeartbeatSeconds</c> (default 5; a node silent for three beats is expired by the others).
/// </summary>
/// <param name="SipAddress">The configured <c>host:port</c>, or null to derive it from the bound listener.</param>
/// <param name="Heartbeat">How often the node writes its heartbeat and checks the others'.</param>
public sealed record ClusterSettings(string? SipAddress, TimeSpan Heartbeat)
{
    /// <summary>Beats a node may miss before the others expire its bindings.</summary>
    public const int MissedBeats = 3;

    /// <summary>How long a silent node keeps its bindings.</summary>
    public TimeSpan Expiry => Heartbeat * MissedBeats;

    /// <summary>Reads the <c>Node</c> section.</summary>
    public static ClusterSettings From(IConfiguration configuration)
    {
        var seconds = double.TryParse(configuration["Node:HeartbeatSeconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? s
            : 5;
        var address = configuration["Node:SipAddress"];
        return new ClusterSettings(string.IsNullOrWhiteSpace(address) ? null : address.Trim(), TimeSpan.FromSeconds(seconds));
    }

    /// <summary>The address to publish: the configured one, else derived from the first bound UDP listener.</summary>
    public string ResolveSipAddress(IReadOnlyList<SipBoundEndpoint> bound)
    {
        if (SipAddress is not null)
        {
            return SipAddress;
        }

        var udp = bound.FirstOrDefault(b => b.Transport == SipTransportKind.Udp && b.EndPoint.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException("Several nodes need a UDP SIP listener on IPv4, or Node:SipAddress.");
        var ip = udp.EndPoint.Address.Equals(IPAddress.Any) ? FirstPrivateAddress() : udp.EndPoint.Address;
        return string.Create(CultureInfo.InvariantCulture, $"{ip}:{udp.EndPoint.Port}");
    }

    /// <summary>Parses <c>ip:port</c> or <c>host:port</c> (resolved by DNS), or null.</summary>
    public static async Task<IPEndPoint?> ParseAsync(string address, CancellationToken cancellationToken)
    {
        if (IPEndPoint.TryParse(address, out var endPoint) && endPoint.Port > 0)
        {
            return endPoint;
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(address[..colon], AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
            return addresses.Length == 0 ? null : new IPEndPoint(addresses[0], port);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static IPAddress FirstPrivateAddress()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
        }
        catch (NetworkInformationException)
        {
            return IPAddress.Loopback;
        }
    }
}
