using System.Net;
using System.Net.NetworkInformation;

namespace LPTracker.Telephony.Sip.Transport;

/// <summary>The addresses of this machine, so a request addressed to an IP literal can be told ours or not.</summary>
internal static class LocalAddresses
{
    private static readonly Lazy<HashSet<IPAddress>> _addresses = new(Read);

    /// <summary>True when <paramref name="address"/> is the listener's own address or one of this machine's.</summary>
    public static bool IsOurs(IPAddress address, IPAddress listener)
    {
        var normal = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var local = listener.IsIPv4MappedToIPv6 ? listener.MapToIPv4() : listener;
        return normal.Equals(local) || _addresses.Value.Contains(normal);
    }

    private static HashSet<IPAddress> Read()
    {
        var set = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    set.Add(unicast.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Without the interface list only the listener's own address counts.
        }

        return set;
    }
}
