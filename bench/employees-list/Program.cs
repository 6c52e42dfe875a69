using System.Diagnostics;

using LPTracker.Core.Employees;
using LPTracker.Core.Telephony;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;

namespace EmployeesListBench;

/// <summary>The Employees list at scale: server time per page, server memory per open list, navigation-to-grid time.</summary>
internal static class Bench
{
    public static async Task<int> Main(string[] args)
    {
        // The Employees list at scale: server time per page, server memory per open list, navigation-to-grid time.
        var employees = Arg("--employees", 10_000);
        var projects = Arg("--projects", 20);
        var circuits = Arg("--circuits", 10);
        var iterations = Arg("--iterations", 200);

        // --provider Postgres --connection "Host=…;Database=…" times the same list on PostgreSQL (an empty database:
        // bench/scale/list-providers.sh starts a private server and runs both providers one after the other).
        var provider = Text("--provider") ?? "Sqlite";
        var connection = Text("--connection");
        var folder = Path.Combine(Path.GetTempPath(), "lpt-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var presence = new BenchPresence();

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseStaticWebAssets();
            b.UseSetting("urls", "http://127.0.0.1:0");
            b.UseSetting("Database:Provider", provider);
            b.UseSetting("ConnectionStrings:Lptracker", connection ?? $"Data Source={Path.Combine(folder, "bench.db")}");
            b.UseSetting("DataFolder", folder);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");

            // The app hosts the SIP registrar now: free loopback ports, not 5060 (another process may hold it).
            b.UseSetting("Sip:Listen:0", "udp:127.0.0.1:0");
            b.UseSetting("Sip:Listen:1", "tcp:127.0.0.1:0");
            b.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<ISipPresenceSource>(presence)));
        });
        factory.UseKestrel();
        factory.StartServer();
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);

        var seedWatch = Stopwatch.StartNew();
        var (main, sip) = await Seed.RunAsync(factory.Services, employees, projects);
        foreach (var id in sip.Where((_, i) => i % 2 == 0))
        {
            presence.Online.Add(id);
        }

        Console.WriteLine($"Database: {provider}");
        Console.WriteLine($"Seeded {employees:N0} employees over {projects} projects ({sip.Count:N0} SIP accounts, {presence.Online.Count:N0} online) in {seedWatch.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine();
        Console.WriteLine($"Server time of EmployeeListService.LoadAsync (one page of 25 + counters), {iterations} runs after 20 warm-up:");
        Console.WriteLine($"{"scenario",-44} {"median",9} {"p95",9} {"cpu/call",9} {"rows",6} {"total",7}");
        var list = factory.Services.GetRequiredService<EmployeeListService>();
        if (args.Contains("--no-timing"))
        {
            iterations = 1;
        }

        await Time("Project, sort by name, page 1", new EmployeeListQuery());
        await Time("Project, sort by name, page 20", new EmployeeListQuery(Page: 19));
        await Time("Project, sort by last login desc", new EmployeeListQuery(SortBy: EmployeeListSort.LastLogin, Descending: true));
        await Time("Project, sort by position", new EmployeeListQuery(SortBy: EmployeeListSort.Position));
        await Time("Project, search \"петров\"", new EmployeeListQuery(Search: "петров"));
        await Time("Project, search \"user123\"", new EmployeeListQuery(Search: "user123"));
        await Time("Project, search \"%_[\" (no match)", new EmployeeListQuery(Search: "%_["));
        await Time("All, sort by name, page 1", new EmployeeListQuery(EmployeeListScope.All));
        await Time("All, search \"+7 921 000 12\"", new EmployeeListQuery(EmployeeListScope.All, Search: "+7 921 000 12"));
        await Time("All, sort by login, page 400", new EmployeeListQuery(EmployeeListScope.All, SortBy: EmployeeListSort.Login, Page: 399));

        Console.WriteLine();
        if (!args.Contains("--no-browser"))
        {
            await BrowserPhaseAsync();
        }

        SqliteConnection.ClearAllPools();
        if (args.Contains("--keep-db"))
        {
            // For EXPLAIN QUERY PLAN with the sqlite3 shell.
            Console.WriteLine($"Database kept: {Path.Combine(folder, "bench.db")}");
            return 0;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return 0;

        async Task Time(string name, EmployeeListQuery query)
        {
            var first = await list.LoadAsync(main, query);
            if (!first.Succeeded)
            {
                throw new InvalidOperationException(first.Summary);
            }

            for (var i = 0; i < 19; i++)
            {
                await list.LoadAsync(main, query);
            }

            // CPU per call (the whole process's CPU time over the runs, divided by their number) next to the wall-clock
            // times: on a shared machine the wall clock also counts the time other processes held the cores.
            var samples = new double[iterations];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < iterations; i++)
            {
                var watch = Stopwatch.StartNew();
                await list.LoadAsync(main, query);
                samples[i] = watch.Elapsed.TotalMilliseconds;
            }

            var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / iterations;
            Array.Sort(samples);
            Console.WriteLine($"{name,-44} {samples[iterations / 2],6:F2} ms {samples[(int)(iterations * 0.95)],6:F2} ms {cpuPerCall,6:F2} ms {first.Value!.Rows.Count,6} {first.Value.TotalCount,7}");
        }

        async Task BrowserPhaseAsync()
        {
            if (!File.Exists("/usr/bin/chromium"))
            {
                Console.WriteLine("Chromium not found at /usr/bin/chromium: browser figures skipped.");
                return;
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            });

            // Navigation → first grid row visible, on an already signed-in context (median of 7, after 2 warm-up).
            var probe = await SignedInPageAsync(browser);
            var navigation = new List<double>();
            for (var i = 0; i < 9; i++)
            {
                var watch = Stopwatch.StartNew();
                await probe.GotoAsync("/employees");
                await probe.Locator("[data-testid=employee-grid] [data-testid=row-name]").First.WaitForAsync();
                if (i >= 2)
                {
                    navigation.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            navigation.Sort();
            Console.WriteLine($"Chromium: navigation to /employees → first grid row visible: median {navigation[navigation.Count / 2]:F0} ms, max {navigation[^1]:F0} ms (7 runs)");
            await probe.Context.CloseAsync();

            // Server memory per open list: managed heap after full GCs, before and after opening N signed-in lists.
            // The same for N signed-in shells on a near-empty page (/not-found: layout, navigation, top bar, MudBlazor's
            // providers, the SignalR connection) says how much of a circuit is the list and how much the console itself.
            var open = await HeapPerCircuitAsync(browser, "/employees", "[data-testid=employee-grid] [data-testid=row-name]");
            var shell = await HeapPerCircuitAsync(browser, "/not-found", "[data-testid=not-found]");
            Console.WriteLine($"Server managed heap with {circuits} open lists: {open.Before / 1048576.0:F1} MB → {open.After / 1048576.0:F1} MB, " +
                $"{open.PerCircuit / 1048576.0:F2} MB per open list (circuit + page state)");
            Console.WriteLine($"Server managed heap with {circuits} shells on /not-found: {shell.Before / 1048576.0:F1} MB → {shell.After / 1048576.0:F1} MB, " +
                $"{shell.PerCircuit / 1048576.0:F2} MB per circuit; the list itself: {(open.PerCircuit - shell.PerCircuit) / 1048576.0:F2} MB");
        }

        async Task<(long Before, long After, double PerCircuit)> HeapPerCircuitAsync(IBrowser browser, string path, string ready)
        {
            await Task.Delay(500);
            var before = Heap();
            var pages = new List<IPage>();
            for (var i = 0; i < circuits; i++)
            {
                pages.Add(await SignedInPageAsync(browser, path, ready));
            }

            await Task.Delay(1000);
            var after = Heap();
            foreach (var page in pages)
            {
                await page.Context.CloseAsync();
            }

            // Closed circuits are released once their disconnection is processed; let that happen before the next phase.
            await Task.Delay(1000);
            return (before, after, (after - before) / (double)circuits);
        }

        async Task<IPage> SignedInPageAsync(IBrowser browser, string path = "/employees", string ready = "[data-testid=employee-grid] [data-testid=row-name]")
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "ru-RU" });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/account/login");
            await page.FillAsync("#login", Seed.Email);
            await page.FillAsync("#password", Seed.Password);
            await page.ClickAsync("[data-testid=login-submit]");
            await page.WaitForURLAsync(u => !u.Contains("/account/login", StringComparison.Ordinal));
            if (!page.Url.EndsWith(path, StringComparison.Ordinal))
            {
                await page.GotoAsync(path);
            }

            await page.Locator(ready).First.WaitForAsync();
            await page.WaitForSelectorAsync("html[data-interactive='true']", new() { State = WaitForSelectorState.Attached });
            return page;
        }

        static long Heap()
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            return GC.GetTotalMemory(forceFullCollection: true);
        }

        string? Text(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        }
    }
}
