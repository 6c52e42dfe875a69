using System.Globalization;
using LPTracker.Telephony;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Bench;

/// <summary>A registrar with N in-memory users (user00001..), printing its UDP port, until stdin closes.</summary>
internal static class RegistrarHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = Option(args, "--users", 10_000);
        var listen = OptionText(args, "--listen", "udp:127.0.0.1:0");
        var options = new SipOptions
        {
            Domain = "127.0.0.1",
            Listen = [listen],
            DigestAlgorithms = OptionText(args, "--algorithms", "MD5"),
            MaxContactsPerAor = 10,
            Ban = new SipBanOptions { MaxFailures = 0 },
            QualifyInterval = TimeSpan.FromHours(1),
        };
        var directory = new InMemorySipUserDirectory();
        for (var i = 1; i <= users; i++)
        {
            directory.AddUser(UserName(i), "pw" + i.ToString(CultureInfo.InvariantCulture), options.EffectiveRealm);
        }

        await using var server = new SipServer(options, directory);
        await server.StartAsync(CancellationToken.None);
        Console.WriteLine($"READY {server.GetEndPoint(SipTransportKind.Udp).Port}");
        await Console.Out.FlushAsync();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "stats")
            {
                Console.WriteLine($"bindings={server.Locations.Count} transactions={server.ServerTransactions.Count}");
            }
        }

        return 0;
    }

    public static string UserName(int i) => "user" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    private static string OptionText(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
