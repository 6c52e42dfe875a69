using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using LPTracker.Core.Cluster;
using StackExchange.Redis;

namespace FanOutBench;

/// <summary>
/// <c>--nodes 2 --connection PG --redis HOST:PORT</c>: the live fan-out spread over two console nodes as shipped
/// (<see cref="Node"/>: two <c>LPTracker.Web</c> processes on one PostgreSQL and one Redis). The accounts are seeded
/// before the nodes start (they load the SIP credentials at start-up); each account's lists are opened half on each node,
/// its phones register half on each node's SIP listener, and its probe on one of them (alternating by account), so half
/// of every probe's lists learn of it across Redis. The transition's time is when the probe's node published it to the
/// other nodes (the bench listens on the same Redis channel, <c>lpt:live:presence</c>, the moment the registrar accepted
/// the REGISTER); latencies are printed for the lists on the phone's own node and on the other node, per node and
/// together, with each node's memory per open list and CPU.
/// </summary>
internal static class TwoNodes
{
    private const string PresenceChannel = "lpt:live:presence"; // RedisLiveRelay's prefix + "presence"

    private static readonly List<Process> Children = [];

    public static async Task<int> RunAsync(string[] args)
    {
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var accounts = Program.Number(args, "--accounts", 100);
        var phones = Program.Number(args, "--phones", 10_000);
        var lists = Program.Number(args, "--lists", 1000);
        var rate = Program.Number(args, "--rate", 1000);
        var probeRate = Program.Number(args, "--probe-rate", 10);
        var seconds = Program.Number(args, "--seconds", 30);
        var connection = Program.Text(args, "--connection") ?? throw new ArgumentException("--nodes 2 needs --connection (PostgreSQL)");
        var redis = Program.Text(args, "--redis") ?? throw new ArgumentException("--nodes 2 needs --redis host:port");
        var web = Program.Text(args, "--web") ?? WebAssembly();
        var folder = Path.Combine(Path.GetTempPath(), "lpt-fanout2-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        // Ctrl-C, kill, a closed terminal: the nodes, the clients and sipp go with the bench.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abort);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abort);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Abort);

        // Every wait below has its own timeout; this is the backstop for the rest (seeding, a stuck database).
        var deadline = TimeSpan.FromMinutes(Program.Number(args, "--deadline-minutes", 90));
        using var watchdog = new Timer(_ =>
        {
            Console.Error.WriteLine($"the run took more than {deadline.TotalMinutes} min: stopping everything");
            KillAll();
            TryDelete(folder);
            Environment.Exit(124);
        }, null, deadline, Timeout.InfiniteTimeSpan);
        var nodes = new List<Node>();
        try
        {
            var seedWatch = Stopwatch.StartNew();
            List<BenchAccount> seeded;
            await using (var core = await LPTracker.Bench.WebSeeder.CoreServicesAsync(["--provider", "Postgres", "--connection", connection],
                Path.Combine(folder, "seed"), "127.0.0.1"))
            {
                seeded = await Seed.RunAsync(core, accounts, phones / accounts, "127.0.0.1");
            }

            // Account k's probe registers on node k mod 2; its phones beyond the first page alternate between the nodes.
            for (var n = 0; n < 2; n++)
            {
                await Seed.WriteUsersAsync(Path.Combine(folder, $"background-{n}.csv"),
                    seeded.SelectMany(a => a.PhoneUsers.Skip(30).Where((_, i) => i % 2 == n)));
                await Seed.WriteUsersAsync(Path.Combine(folder, $"probes-{n}.csv"), seeded.Where((_, k) => k % 2 == n).Select(a => a.ProbeUser));
            }

            await File.WriteAllLinesAsync(Path.Combine(folder, "accounts.txt"), seeded.Select(a => $"{a.AccountId};{a.Email}"));
            Console.WriteLine($"Postgres: seeded {accounts} accounts × {phones / accounts} phones (+1 probe each) in {seedWatch.Elapsed.TotalSeconds:F0} s; " +
                $"{lists} lists, {rate} status changes/s for {seconds} s, probes {probeRate}/s; 2 nodes");

            nodes.AddRange(await Task.WhenAll(new[] { "node-a", "node-b" }.Select(name => Node.StartAsync(name, web, folder, connection, redis, Track))));
            foreach (var node in nodes)
            {
                Console.WriteLine($"{node.Name}: {node.Url}, SIP udp 127.0.0.1:{node.SipPort}, pid {node.Pid}");
            }

            var probeNode = seeded.Select((a, k) => (a.ProbeId, a.AccountId, Node: k % 2)).ToDictionary(p => p.ProbeId);
            var changes = new List<(int Account, long At, char Status)>();
            await using var bus = await ConnectionMultiplexer.ConnectAsync(redis);
            await SubscribeAsync(bus, probeNode, changes);

            await Task.Delay(2000);
            var before = await MemoryAsync(nodes);
            using var clients = new ClientFeed(nodes.Select(n => n.Url), lists, Path.Combine(folder, "accounts.txt"), Track);
            var (open, failed, took) = await clients.ReadyAsync(TimeSpan.FromMinutes(30));
            await Task.Delay(2000);
            var after = await MemoryAsync(nodes);
            Console.WriteLine($"open lists: {open} (failed {failed}) in {took} s; circuit i on node (i div {accounts}) mod 2");
            var perNode = Enumerable.Range(0, 2).Select(n => Enumerable.Range(0, lists).Count(i => i / accounts % 2 == n)).ToArray();
            for (var n = 0; n < 2; n++)
            {
                Console.WriteLine($"{nodes[n].Name}: {perNode[n]} lists; " + PerList(before[n], after[n], perNode[n]));
            }

            Console.WriteLine("both nodes: " + PerList(Add(before[0], before[1]), Add(after[0], after[1]), lists));

            await clients.GoAsync();
            var cpu = nodes.Select(n => n.Cpu()).ToArray();
            var wall = Stopwatch.StartNew();
            var backgroundCalls = rate / 2;
            var probeCalls = Math.Max(2, probeRate / 2);
            var sipps = Enumerable.Range(0, 2).SelectMany(n => new[]
            {
                Program.Sipp(folder, nodes[n].SipPort, $"background-{n}", $"background-{n}", (backgroundCalls + 1 - n) / 2, seconds, Track),
                Program.Sipp(folder, nodes[n].SipPort, $"probes-{n}", $"probes-{n}", (probeCalls + 1 - n) / 2, seconds, Track),
            }).ToArray();
            var results = await Task.WhenAll(sipps);
            await Task.Delay(5000);
            var cpuUsed = nodes.Select((n, i) => (n.Cpu() - cpu[i]).TotalSeconds).ToArray();
            var elapsed = wall.Elapsed.TotalSeconds;
            Console.WriteLine(await clients.EndAsync(TimeSpan.FromMinutes(5)));

            for (var n = 0; n < 2; n++)
            {
                Console.WriteLine($"sipp → {nodes[n].Name}: background {results[2 * n].Ok} register/unregister pairs ok, {results[2 * n].Failed} failed; " +
                    $"probes {results[2 * n + 1].Ok} ok, {results[2 * n + 1].Failed} failed");
            }

            Console.WriteLine($"node CPU during the load ({elapsed:F0} s): " + string.Join("; ", nodes.Select((n, i) =>
                $"{n.Name} {cpuUsed[i]:F1} s = {cpuUsed[i] / elapsed * 100:F0} %")) +
                $"; together {cpuUsed.Sum() / elapsed * 100:F0} % of one core ({Environment.ProcessorCount} cores)");
            Report(changes, clients.Batches, seeded.Select(a => a.AccountId).ToList(), lists, accounts, nodes);
            if (Program.Text(args, "--trace") is { } trace)
            {
                await File.WriteAllLinesAsync(trace, changes.Select(c => $"T {c.Account} {c.At} {c.Status}")
                    .Concat(clients.Batches.Select(b => $"B {b.Circuit} {b.Account} {b.At} {b.Status}")));
            }

            Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            KillAll();
            TryDelete(folder);
        }

        void Abort(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"{context.Signal}: stopping the nodes, the clients and sipp");
            KillAll();
            TryDelete(folder);
            Environment.Exit(130);
        }
    }

    /// <summary>Stamps each probe transition when its node tells the other nodes (first message with a new status).</summary>
    private static async Task SubscribeAsync(ConnectionMultiplexer bus, Dictionary<int, (int ProbeId, int AccountId, int Node)> probes,
        List<(int Account, long At, char Status)> changes)
    {
        var last = new Dictionary<int, char>();
        await bus.GetSubscriber().SubscribeAsync(RedisChannel.Literal(PresenceChannel), (_, message) =>
        {
            var at = Stopwatch.GetTimestamp();
            var envelope = JsonSerializer.Deserialize<Envelope>((byte[])message!);
            if (envelope?.Event is not { } presence || !probes.TryGetValue(presence.EmployeeId, out var probe))
            {
                return;
            }

            var status = presence.Online ? 'O' : 'D';
            lock (changes)
            {
                if (!last.TryGetValue(probe.ProbeId, out var previous) || previous != status)
                {
                    last[probe.ProbeId] = status;
                    changes.Add((probe.AccountId, at, status));
                }
            }
        });
    }

    private static void Report(List<(int Account, long At, char Status)> changes, List<(int Circuit, int Account, long At, char Status)> batches,
        List<int> accountIds, int lists, int accounts, List<Node> nodes)
    {
        List<(int Account, long At, char Status)> ordered;
        lock (changes)
        {
            ordered = [.. changes];
        }

        var matches = Latency.Match(ordered, batches, accountIds, lists, accounts)
            .Select(m => (Match: m, Phone: accountIds.IndexOf(m.Account) % 2, List: m.Circuit / accounts % 2)).ToList();
        Console.WriteLine($"probe transitions: {ordered.Count} ({string.Join(", ", nodes.Select((n, i) => $"{ordered.Count(c => accountIds.IndexOf(c.Account) % 2 == i)} of phones on {n.Name}"))}); " +
            $"list updates measured: {matches.Count(m => m.Match.Ms is not null)}, missed (no update before the next transition): {matches.Count(m => m.Match.Ms is null)}");
        Console.WriteLine("REGISTER accepted (the phone's node publishing it) → chip value on the list:");
        Line("all lists", matches);
        Line("list on the phone's node", matches.Where(m => m.Phone == m.List));
        Line("list on the other node (via Redis)", matches.Where(m => m.Phone != m.List));
        for (var n = 0; n < 2; n++)
        {
            var node = n;
            Line($"lists on {nodes[n].Name}, phone on {nodes[n].Name}", matches.Where(m => m.List == node && m.Phone == node));
            Line($"lists on {nodes[n].Name}, phone on {nodes[1 - n].Name}", matches.Where(m => m.List == node && m.Phone != node));
        }

        static void Line(string label, IEnumerable<((int Account, char Status, int Circuit, double? Ms) Match, int Phone, int List)> rows)
        {
            var list = rows.Select(r => r.Match).ToList();
            Console.WriteLine($"  {label,-36} {list.Count(m => m.Ms is not null),6} measured, {list.Count(m => m.Ms is null),5} missed: {Latency.Percentiles(list)}");
        }
    }

    /// <summary>Each node's (RSS, managed heap after a full collection or null).</summary>
    private static async Task<(long Rss, long? Heap)[]> MemoryAsync(List<Node> nodes)
    {
        var result = new (long, long?)[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            long? heap;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
                heap = await nodes[i].HeapAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or HttpRequestException or System.Net.Sockets.SocketException
                or TimeoutException or OperationCanceledException)
            {
                Console.WriteLine($"{nodes[i].Name}: managed heap not read ({ex.Message})");
                heap = null;
            }

            result[i] = (nodes[i].Rss(), heap);
        }

        return result;
    }

    private static (long Rss, long? Heap) Add((long Rss, long? Heap) a, (long Rss, long? Heap) b) => (a.Rss + b.Rss, a.Heap + b.Heap);

    private static string PerList((long Rss, long? Heap) before, (long Rss, long? Heap) after, int lists)
    {
        var heap = before.Heap is { } h0 && after.Heap is { } h1
            ? $"managed heap {h0 / 1048576.0:F1} MB → {h1 / 1048576.0:F1} MB = {(h1 - h0) / 1048576.0 / lists:F2} MB per open list; "
            : "managed heap not read; ";
        return heap + $"RSS {before.Rss / 1048576.0:F0} → {after.Rss / 1048576.0:F0} MB = {(after.Rss - before.Rss) / 1048576.0 / lists:F2} MB per open list";
    }

    private static void Track(Process process)
    {
        lock (Children)
        {
            Children.Add(process);
        }
    }

    private static void KillAll()
    {
        lock (Children)
        {
            foreach (var process in Children)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(10_000);
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Disposed or already gone.
                }
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>LPTracker.Web.dll in the web project's Release build output (built with this bench).</summary>
    private static string WebAssembly()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LPTracker.Blazor.sln")))
        {
            dir = dir.Parent;
        }

        var dll = Path.Combine(dir?.FullName ?? ".", "LPTracker.Web", "bin", "Release", "net10.0", "LPTracker.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is missing: build the solution in Release (or pass --web)");
    }

    /// <summary>RedisLiveRelay's message: the sending node, the key (account) and the event.</summary>
    private sealed record Envelope(string Node, int Key, NodePresence Event);
}
