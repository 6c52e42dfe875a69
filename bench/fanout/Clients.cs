using System.Diagnostics;
using System.Globalization;
using LPTracker.Tests.Infrastructure;

namespace FanOutBench;

/// <summary>
/// <c>clients --url U[,U2…] --lists N --accounts FILE</c> (run by the bench as a child process, so the circuits' client side
/// does not weigh on the server's heap and CPU): signs in as each account's owner (FILE: "accountId;email" lines) on each
/// node, opens N headless circuits on /employees spread over the accounts (circuit i: account i mod A, node (i div A) mod
/// nodes, so every account has lists on every node), prints READY, and after GO on stdin prints one line per
/// render batch that carries a status chip's value: <c>B circuit account timestamp O|D</c>. Ends when stdin closes.
/// </summary>
internal static class Clients
{
    private static readonly byte[] Online = HeadlessCircuit.Utf8("Online");
    private static readonly byte[] Disconnected = HeadlessCircuit.Utf8("Disconnected");
    private static readonly Lock Out = new();
    private static volatile bool _go;

    public static async Task<int> RunAsync(string[] args)
    {
        var urls = Program.Text(args, "--url")!.Split(',').Select(u => new Uri(u.TrimEnd('/') + "/")).ToArray();
        var lists = Program.Number(args, "--lists", 1000);
        var accounts = (await File.ReadAllLinesAsync(Program.Text(args, "--accounts")!))
            .Select(l => l.Split(';')).Select(p => (Id: int.Parse(p[0], CultureInfo.InvariantCulture), Email: p[1])).ToList();
        var cookies = new Dictionary<(Uri, int), System.Net.CookieContainer>();
        foreach (var url in urls)
        {
            foreach (var (id, email) in accounts)
            {
                cookies[(url, id)] = await HttpSignIn.SignInAsync(url.ToString().TrimEnd('/'), email, Seed.Password);
            }
        }

        var circuits = new HeadlessCircuit[lists];
        var errors = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, lists), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var account = accounts[i % accounts.Count].Id;
            var url = urls[i / accounts.Count % urls.Length];
            var circuit = new HeadlessCircuit();
            circuit.OnBatch = (ts, batch) =>
            {
                if (!_go)
                {
                    return;
                }

                foreach (var (needle, code) in new[] { (Online, 'O'), (Disconnected, 'D') })
                {
                    if (HeadlessCircuit.Contains(batch, needle))
                    {
                        lock (Out)
                        {
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"B {i} {account} {ts} {code}"));
                        }
                    }
                }
            };
            try
            {
                await circuit.OpenAsync(url, "employees", cookies[(url, account)], ct);
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or IOException)
            {
                Interlocked.Increment(ref errors);
                lock (Out)
                {
                    Console.WriteLine($"ERROR circuit {i}: {ex.Message}");
                }
            }

            circuits[i] = circuit;
        });

        lock (Out)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"READY {lists - errors} {errors} {watch.Elapsed.TotalSeconds:F1}"));
        }

        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "GO")
            {
                _go = true;
                Console.WriteLine($"circuits alive at the start of the load: {circuits.Count(c => c is not null && c.Error is null)}");
            }
        }

        var broken = circuits.Count(c => c?.Error is not null);
        Console.WriteLine($"END {broken} circuits closed or reported an error by the end{(broken > 0 ? " (first: " + circuits.First(c => c?.Error is not null).Error + ")" : "")}");
        foreach (var circuit in circuits)
        {
            if (circuit is not null)
            {
                await circuit.DisposeAsync();
            }
        }

        return 0;
    }
}
