using System.Diagnostics;
using LPTracker.Core;
using LPTracker.Core.Leads;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadsListBench;

/// <summary>
/// The Leads list at scale: server time of <see cref="LeadQueries.ListAsync"/> (one page of 25 + the total, with the
/// rights applied: see others on and off, the overdue gate) on a real SQLite file with 100,000 leads.
/// </summary>
internal static class Bench
{
    public static async Task<int> Main(string[] args)
    {
        var leads = Arg(args, "--leads", 100_000);
        var contacts = Arg(args, "--contacts", 20_000);
        var employees = Arg(args, "--employees", 50);
        var iterations = Arg(args, "--iterations", 200);
        var folder = Path.Combine(Path.GetTempPath(), "lpt-leads-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lptracker"] = $"Data Source={Path.Combine(folder, "bench.db")}",
            ["DataFolder"] = folder,
        });
        builder.Services.AddLogging();
        builder.AddCore();
        await using var services = builder.Services.BuildServiceProvider();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        var watch = Stopwatch.StartNew();
        var callers = await Seed.RunAsync(services, leads, contacts, employees);
        Console.WriteLine($"Seeded {leads:N0} leads, {contacts:N0} contacts, {employees} employees in one project of one account in {watch.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine();
        Console.WriteLine($"Server time of LeadQueries.ListAsync (one page of 25 + total, rights applied), {iterations} runs after 20 warm-up:");
        Console.WriteLine($"{"scenario",-52} {"median",9} {"p95",9} {"cpu/call",9} {"rows",5} {"total",7} {"gate",5}");
        var list = services.GetRequiredService<LeadQueries>();

        await Time("Main account, Leads, page 1", callers.Main, new LeadListQuery());
        await Time("See others on, Leads, page 1", callers.SeesOthers, new LeadListQuery());
        await Time("See others on, Deals, page 1", callers.SeesOthers, new LeadListQuery(LeadView.Deals));
        await Time("See others on, Leads, page 200", callers.SeesOthers, new LeadListQuery(Page: 199));
        await Time("See others on, search \"заявка 123\"", callers.SeesOthers, new LeadListQuery(Search: "заявка 123"));
        await Time("See others off (own + pool), Leads, page 1", callers.OwnAndPool, new LeadListQuery());
        await Time("See others off, Leads, overdue only", callers.OwnAndPool, new LeadListQuery(OverdueOnly: true));
        await Time("See others off, Deals, pool", callers.OwnAndPool, new LeadListQuery(LeadView.Deals, LeadOwnerFilter.Pool));
        await Time("Overdue gate closed, Leads, page 1", callers.Gated, new LeadListQuery());

        SqliteConnection.ClearAllPools();
        if (args.Contains("--keep-db"))
        {
            Console.WriteLine($"Database kept: {Path.Combine(folder, "bench.db")}");
            return 0;
        }

        Directory.Delete(folder, recursive: true);
        return 0;

        async Task Time(string name, CallerContext caller, LeadListQuery query)
        {
            var first = await list.ListAsync(caller, query);
            if (!first.Succeeded)
            {
                throw new InvalidOperationException(first.Summary);
            }

            for (var i = 0; i < 19; i++)
            {
                await list.ListAsync(caller, query);
            }

            // CPU per call next to wall time: on a shared machine the wall clock also counts other processes' turns.
            var samples = new double[iterations];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < iterations; i++)
            {
                var w = Stopwatch.StartNew();
                await list.ListAsync(caller, query);
                samples[i] = w.Elapsed.TotalMilliseconds;
            }

            var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / iterations;
            Array.Sort(samples);
            var page = first.Value!;
            Console.WriteLine($"{name,-52} {samples[iterations / 2],6:F2} ms {samples[(int)(iterations * 0.95)],6:F2} ms {cpuPerCall,6:F2} ms {page.Rows.Count,5} {page.Total,7} {page.GatedOverdue,5}");
        }
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
