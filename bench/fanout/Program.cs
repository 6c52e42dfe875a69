using System.Diagnostics;
using System.Globalization;
using LPTracker.Core.Live;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Telephony;
using LPTracker.Telephony;
using LPTracker.Telephony.Integration;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FanOutBench;

/// <summary>
/// Live fan-out at scale: the console in process (its SIP registrar on loopback), A accounts with M phones each, N open
/// Employees lists (real circuits, opened by a child process of headless Blazor clients), then sipp makes the phones
/// register and unregister at R status changes per second while each account's probe employee (on its lists' first
/// page) does the same more slowly; prints server memory per open list, server CPU, and the time from the registrar
/// accepting a probe's REGISTER to each of its account's lists receiving the chip's new value.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.FirstOrDefault() == "clients")
        {
            return await Clients.RunAsync(args[1..]);
        }

        if (Number(args, "--nodes", 1) > 1)
        {
            return await TwoNodes.RunAsync(args);
        }

        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var accounts = Number(args, "--accounts", 100);
        var phones = Number(args, "--phones", 10_000);
        var lists = Number(args, "--lists", 1000);
        var rate = Number(args, "--rate", 1000);
        var probeRate = Number(args, "--probe-rate", 10);
        var seconds = Number(args, "--seconds", 30);
        var folder = Path.Combine(Path.GetTempPath(), "lpt-fanout-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var provider = Text(args, "--provider") ?? "Sqlite";

        await using var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseStaticWebAssets();
            b.UseSetting("urls", "http://127.0.0.1:0");
            b.UseSetting("Database:Provider", provider);
            b.UseSetting("ConnectionStrings:Lptracker", Text(args, "--connection") ?? $"Data Source={Path.Combine(folder, "bench.db")}");
            b.UseSetting("DataFolder", folder);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
            b.UseSetting("SignIn:PermitLimit", "100000");
            b.UseSetting("Sip:Listen:0", "udp:127.0.0.1:0");
            b.UseSetting("Sip:Domain", "127.0.0.1");
            b.UseSetting("Sip:PublicHost", "127.0.0.1");

            // sipp's phones do not answer OPTIONS: no qualify pings during the run.
            b.UseSetting("Sip:QualifyInterval", "01:00:00");
        });
        factory.UseKestrel();
        factory.StartServer();
        var services = factory.Services;
        var baseUrl = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        // The SIP listener binds in a background service: wait for it.
        var sip = services.GetRequiredService<SipServer>();
        for (var i = 0; i < 600 && !sip.BoundEndpoints.Any(b => b.Transport == SipTransportKind.Udp); i++)
        {
            await Task.Delay(100);
        }

        var sipPort = sip.GetEndPoint(SipTransportKind.Udp).Port;

        var seedWatch = Stopwatch.StartNew();
        var seeded = await Seed.RunAsync(services, accounts, phones / accounts, "127.0.0.1");
        await services.GetRequiredService<SipCredentialMap>().LoadAsync(CancellationToken.None);

        // The probes' own rows and the 30 phones sorted first share the lists' first page; only phones beyond them
        // change in the background, so a batch carrying a chip value on a list is the probe's.
        await Seed.WriteUsersAsync(Path.Combine(folder, "background.csv"), seeded.SelectMany(a => a.PhoneUsers.Skip(30)));
        await Seed.WriteUsersAsync(Path.Combine(folder, "probes.csv"), seeded.Select(a => a.ProbeUser));
        await File.WriteAllLinesAsync(Path.Combine(folder, "accounts.txt"), seeded.Select(a => $"{a.AccountId};{a.Email}"));
        Console.WriteLine($"{provider}: seeded {accounts} accounts × {phones / accounts} phones (+1 probe each) in {seedWatch.Elapsed.TotalSeconds:F0} s; " +
            $"{lists} lists, {rate} status changes/s for {seconds} s, probes {probeRate}/s");

        // t0 of each probe transition: the registrar has accepted the REGISTER and the presence bridge published it.
        var presence = services.GetRequiredService<ISipPresenceSource>();
        var changes = new List<(int Account, long At, char Status)>();
        var last = new Dictionary<int, char>();
        var probes = seeded.ToDictionary(a => a.ProbeId, a => a.AccountId);
        using var subscription = services.GetRequiredService<ChangeNotifier>().SubscribeAll(c =>
        {
            if (c.Kind != EmployeeChangeKind.SipStatus || c.EmployeeId is not { } probe || !probes.TryGetValue(probe, out var account))
            {
                return;
            }

            var status = presence.Get(probe).Status == SipStatus.Online ? 'O' : 'D';
            lock (changes)
            {
                if (!last.TryGetValue(probe, out var before) || before != status)
                {
                    last[probe] = status;
                    changes.Add((account, Stopwatch.GetTimestamp(), status));
                }
            }
        });

        var heapBefore = Heap();
        var rssBefore = Rss();
        using var clients = new ClientFeed([baseUrl], lists, Path.Combine(folder, "accounts.txt"));
        var batches = clients.Batches;
        var (open, failed, took) = await clients.ReadyAsync(TimeSpan.FromMinutes(30));
        await Task.Delay(2000);
        var heapAfter = Heap();
        var rssAfter = Rss();
        Console.WriteLine($"open lists: {open} (failed {failed}) in {took} s");
        Console.WriteLine($"server managed heap: {heapBefore / 1048576.0:F1} MB → {heapAfter / 1048576.0:F1} MB = {(heapAfter - heapBefore) / 1048576.0 / open:F2} MB per open list; " +
            $"RSS {rssBefore / 1048576.0:F0} → {rssAfter / 1048576.0:F0} MB = {(rssAfter - rssBefore) / 1048576.0 / open:F2} MB per open list");

        await clients.GoAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var background = Sipp(folder, sipPort, "background", "background", rate / 2, seconds);
        var probing = Sipp(folder, sipPort, "probes", "probes", Math.Max(1, probeRate / 2), seconds);
        var (bgOk, bgFailed) = await background;
        var (prOk, prFailed) = await probing;
        await Task.Delay(5000);
        var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var elapsed = wall.Elapsed.TotalSeconds;
        Console.WriteLine(await clients.EndAsync(TimeSpan.FromMinutes(5)));

        Console.WriteLine($"sipp: background {bgOk} register/unregister pairs ok, {bgFailed} failed; probes {prOk} ok, {prFailed} failed");
        Console.WriteLine($"server CPU during the load: {cpuUsed:F1} s over {elapsed:F0} s = {cpuUsed / elapsed * 100:F0} % of one core ({Environment.ProcessorCount} cores)");
        // Bounded queues behind the registrar: history and the administrators' offline alerts (decisions 0081, 0082).
        Console.WriteLine($"dropped: registration history events {services.GetRequiredService<RegistrationEventSink>().Dropped}, " +
            $"offline/ban alerts {services.GetRequiredService<RegistrationAlertQueue>().Dropped}");
        Report(changes, batches, seeded.Select(a => a.AccountId), lists, accounts);
        if (Text(args, "--trace") is { } trace)
        {
            // Every probe transition and every batch that carried a chip value, for looking into misses by hand.
            await File.WriteAllLinesAsync(trace, changes.Select(c => $"T {c.Account} {c.At} {c.Status}")
                .Concat(batches.Select(b => $"B {b.Circuit} {b.Account} {b.At} {b.Status}")));
        }
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}");

        // Stop the console before its database goes (its background writers would meet a deleted file).
        await factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>For each probe transition and each open list of its account: the first batch after it carrying the new value.</summary>
    private static void Report(List<(int Account, long At, char Status)> changes, List<(int Circuit, int Account, long At, char Status)> batches,
        IEnumerable<int> accountIds, int lists, int accounts)
    {
        var matches = Latency.Match(changes, batches, accountIds.ToList(), lists, accounts);
        Console.WriteLine($"probe transitions: {changes.Count}; list updates measured: {matches.Count(m => m.Ms is not null)}, " +
            $"missed (no update before the next transition): {matches.Count(m => m.Ms is null)}");
        Console.WriteLine($"REGISTER accepted → chip value on the list: {Latency.Percentiles(matches)}");
    }

    /// <summary>Runs sipp's register/unregister scenario over the users in FOLDER/USERS.csv against the SIP port
    /// <paramref name="port"/> at <paramref name="callsPerSecond"/> (two status changes per call) for
    /// <paramref name="seconds"/>, in FOLDER/NAME; returns successful and failed calls.</summary>
    internal static async Task<(string Ok, string Failed)> Sipp(string folder, int port, string name, string users, int callsPerSecond, int seconds,
        Action<Process>? track = null)
    {
        var dir = Path.Combine(folder, name);
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(folder, users + ".csv"), Path.Combine(dir, "users.csv"));
        var scenario = Path.Combine(AppContext.BaseDirectory, "register-toggle.xml");
        var info = new ProcessStartInfo("sipp", [$"127.0.0.1:{port}", "-sf", scenario, "-inf", "users.csv", "-r", callsPerSecond.ToString(CultureInfo.InvariantCulture),
            "-m", (callsPerSecond * seconds).ToString(CultureInfo.InvariantCulture), "-l", (callsPerSecond * 10).ToString(CultureInfo.InvariantCulture),
            "-d", "2000", "-i", "127.0.0.1", "-p", "0", "-buff_size", "4194304", "-nostdin", "-timeout", $"{seconds + 120}s",
            "-trace_stat", "-stf", "stat.csv"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var sipp = Process.Start(info)!;
        track?.Invoke(sipp);
        var drain = Task.WhenAll(sipp.StandardOutput.ReadToEndAsync(), sipp.StandardError.ReadToEndAsync());
        try
        {
            // sipp's own -timeout ends it after seconds + 120; this is the guard should it not.
            await sipp.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds + 180));
        }
        catch (TimeoutException)
        {
            sipp.Kill();
            return ("0", "sipp hung (killed)");
        }

        await drain;
        var stat = await File.ReadAllLinesAsync(Path.Combine(dir, "stat.csv"));
        var header = stat[0].Split(';');
        var values = stat[^1].Split(';');
        return (values[Array.IndexOf(header, "SuccessfulCall(C)")], values[Array.IndexOf(header, "FailedCall(C)")]);
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Resident set size of this process or of process <paramref name="pid"/>, bytes.</summary>
    internal static long Rss(string pid = "self")
    {
        var status = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    internal static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static int Number(string[] args, string name, int fallback) =>
        int.TryParse(Text(args, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
