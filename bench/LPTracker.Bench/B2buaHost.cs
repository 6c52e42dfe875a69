using System.Globalization;
using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using SipTrunkOptions = LPTracker.Core.Telephony.SipTrunkOptions;
using LPTracker.Telephony;
using LPTracker.Telephony.Calls;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Bench;

/// <summary>
/// The B2BUA for bench/sip/call-load.sh: N virtual numbers +7900000NNNN, each ringing one employee whose SIP binding
/// points at the sipp phone (one sipp UAS answers for all of them). The sipp carrier is the trunk. "stats" on stdin
/// prints live calls and the managed heap after a full collection (memory per active call).
/// </summary>
internal static class B2buaHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = Option(args, "--users", 1000);
        var trunk = OptionText(args, "--trunk", "127.0.0.1:5070");
        var phone = IPEndPoint.Parse(OptionText(args, "--phone", "127.0.0.1:5080"));
        var options = new SipOptions
        {
            Domain = "127.0.0.1",
            Listen = ["udp:127.0.0.1:0"],
            QualifyInterval = TimeSpan.FromHours(1),
            Ban = new SipBanOptions { MaxFailures = 0 },
            MaxCalls = 100_000,
            Trunks = [new SipTrunkOptions { Name = "sipp", Address = trunk }],
        };
        var directory = new BenchDirectory(users);
        await using var server = new SipServer(options, new InMemorySipUserDirectory(), callDirectory: directory);
        await server.StartAsync(CancellationToken.None);
        var local = server.GetEndPoint(SipTransportKind.Udp);
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= users; i++)
        {
            var user = User(i);
            var binding = new SipBinding
            {
                UserName = user, ContactUri = $"sip:{user}@{phone}", CallId = "bench", CSeq = 1, RegisteredAt = now, UpdatedAt = now,
                ExpiresAt = now.AddDays(1), RemoteEndPoint = phone, LocalEndPoint = local, Transport = SipTransportKind.Udp,
            };
            await server.Locations.UpdateAsync(user, (_, _) => new BindingUpdate<bool>([binding], true), CancellationToken.None);
        }

        Console.WriteLine($"READY {local.Port}");
        await Console.Out.FlushAsync();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "stats")
            {
                var heap = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine($"STATS calls={server.Calls.ActiveCalls} dialogs={server.Calls.ActiveDialogs} " +
                    $"invites={server.Calls.Invites.ServerCount}/{server.Calls.Invites.ClientCount} heap={heap}");
                await Console.Out.FlushAsync();
            }
        }

        return 0;
    }

    /// <summary>The virtual number of employee <paramref name="i"/>.</summary>
    public static string Number(int i) => "+7900" + i.ToString("D7", CultureInfo.InvariantCulture);

    private static string User(int i) => "phone" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    private static string OptionText(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

    /// <summary>Number i rings employee i (SIP), all at once, 30 s.</summary>
    private sealed class BenchDirectory(int users) : ICallDirectory
    {
        public Task<RingPlanData?> FindDialledAsync(string dialledE164, CancellationToken cancellationToken)
        {
            var ok = dialledE164.StartsWith("+7900", StringComparison.Ordinal)
                && int.TryParse(dialledE164.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 1 && i <= users;
            return Task.FromResult(ok
                ? new RingPlanData(1, 1, dialledE164, RingMode.Simultaneous, 30,
                    [new RingEmployee(int.Parse(dialledE164.AsSpan(5), CultureInfo.InvariantCulture), CallReceivingMethod.Sip,
                        User(int.Parse(dialledE164.AsSpan(5), CultureInfo.InvariantCulture)), null, null, false)])
                : null);
        }

        public Task<RingEmployee?> FindEmployeeAsync(int accountId, int employeeId, CancellationToken cancellationToken) =>
            Task.FromResult<RingEmployee?>(null);

        public Task<bool> IsVirtualNumberAsync(string e164, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<string?> CallerIdAsync(int accountId, CallKind kind, int? employeeId, int? projectId, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(null);
    }
}
