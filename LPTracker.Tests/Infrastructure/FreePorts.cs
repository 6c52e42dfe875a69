using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LPTracker.Tests.Infrastructure;

/// <summary>Loopback ports for tools that need a fixed port in their config (baresip, sipp, PostgreSQL, Redis).</summary>
/// <remarks>A port taken by binding to 0 comes from the kernel's ephemeral range, the range every outgoing TCP
/// connection of the parallel suite also draws from: between our probe and the tool's own bind, a connection may take
/// it ("Address already in use" in CI). So ports are drawn at random from below the ephemeral range, never handed out
/// twice in one run, and checked free for both UDP and TCP.</remarks>
internal static class FreePorts
{
    private const int Lowest = 20000;
    private static readonly HashSet<int> Given = [];
    private static readonly int EphemeralLow = ReadEphemeralLow();

    /// <summary>A port free for UDP and TCP on loopback that no other test of this run was given.</summary>
    public static int Next()
    {
        var highest = Math.Max(Lowest + 1000, EphemeralLow) - 1;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Lowest, highest + 1);
            lock (Given)
            {
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException("no free loopback port below the ephemeral range");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int ReadEphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split(
                (char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
