using System.Diagnostics;
using LPTracker.Core;
using LPTracker.Core.Contacts;
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
        // --db <file>: reuse a database kept by an earlier run (--keep-db) instead of seeding (minutes) again.
        var reuse = Array.IndexOf(args, "--db") is var at and >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : null;
        var folder = reuse is null ? Path.Combine(Path.GetTempPath(), "lpt-leads-bench-" + Guid.NewGuid().ToString("N")) : Path.GetDirectoryName(reuse)!;
        Directory.CreateDirectory(folder);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lptracker"] = $"Data Source={reuse ?? Path.Combine(folder, "bench.db")}",
            ["DataFolder"] = folder,
        });
        builder.Services.AddLogging();
        builder.AddCore();
        await using var services = builder.Services.BuildServiceProvider();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        var watch = Stopwatch.StartNew();
        BenchCallers callers;
        if (reuse is null)
        {
            callers = await Seed.RunAsync(services, leads, contacts, employees);
            Console.WriteLine($"Seeded {leads:N0} leads, {contacts:N0} contacts, {employees} employees in one project of one account in {watch.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            callers = await Seed.CallersAsync(services);
            Console.WriteLine($"Reusing {reuse}");
        }
        Console.WriteLine();
        Console.WriteLine($"Server time of LeadQueries.ListAsync / ContactQueries.ListAsync (one page of 25 + total, rights applied), {iterations} runs after 20 warm-up:");
        Console.WriteLine($"{"scenario",-52} {"median",9} {"p95",9} {"cpu/call",9} {"rows",5} {"total",7} {"gate",5}");
        var list = services.GetRequiredService<LeadQueries>();

        await Leads("Main account, Leads, page 1", callers.Main, new LeadListQuery());
        await Leads("See others on, Leads, page 1", callers.SeesOthers, new LeadListQuery());
        await Leads("See others on, Deals, page 1", callers.SeesOthers, new LeadListQuery(LeadView.Deals));
        await Leads("See others on, Leads, page 200", callers.SeesOthers, new LeadListQuery(Page: 199));
        await Leads("See others on, Leads, mine", callers.SeesOthers, new LeadListQuery(Owner: LeadOwnerFilter.Mine));
        await Leads("See others on, Deals, one stage, overdue", callers.SeesOthers, new LeadListQuery(LeadView.Deals, StageId: callers.DealStageId, OverdueOnly: true));
        await Leads("See others on, search \"заявка 123\"", callers.SeesOthers, new LeadListQuery(Search: "заявка 123"));
        await Leads("See others off (own + pool), Leads, page 1", callers.OwnAndPool, new LeadListQuery());
        await Leads("See others off, Leads, overdue only", callers.OwnAndPool, new LeadListQuery(OverdueOnly: true));
        await Leads("See others off, Deals, pool", callers.OwnAndPool, new LeadListQuery(LeadView.Deals, LeadOwnerFilter.Pool));
        await Leads("Overdue gate closed, Leads, page 1", callers.Gated, new LeadListQuery());
        var contactList = services.GetRequiredService<ContactQueries>();
        await Time("Contacts (20,000), page 1", async () => Shape(await contactList.ListAsync(callers.SeesOthers, new ContactListQuery())));
        await Time("Contacts, search \"клиент 1234\"", async () => Shape(await contactList.ListAsync(callers.SeesOthers, new ContactListQuery("клиент 1234"))));

        SqliteConnection.ClearAllPools();
        if (reuse is not null)
        {
            return 0;
        }

        if (args.Contains("--keep-db"))
        {
            Console.WriteLine($"Database kept: {Path.Combine(folder, "bench.db")}");
            return 0;
        }

        Directory.Delete(folder, recursive: true);
        return 0;

        Task Leads(string name, CallerContext caller, LeadListQuery query) =>
            Time(name, async () =>
            {
                var result = await list.ListAsync(caller, query);
                return Shape(result) with { Gate = result.Value!.GatedOverdue };
            });

        async Task Time(string name, Func<Task<Outcome>> call)
        {
            var first = await call();
            for (var i = 0; i < 19; i++)
            {
                await call();
            }

            // CPU per call next to wall time: on a shared machine the wall clock also counts other processes' turns.
            var samples = new double[iterations];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < iterations; i++)
            {
                var w = Stopwatch.StartNew();
                await call();
                samples[i] = w.Elapsed.TotalMilliseconds;
            }

            var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / iterations;
            Array.Sort(samples);
            Console.WriteLine($"{name,-52} {samples[iterations / 2],6:F2} ms {samples[(int)(iterations * 0.95)],6:F2} ms {cpuPerCall,6:F2} ms {first.Rows,5} {first.Total,7} {first.Gate,5}");
        }
    }

    /// <summary>What a scenario prints of its first result.</summary>
    private sealed record Outcome(int Rows, int Total, int Gate = 0);

    private static Outcome Shape<T>(OperationResult<T> result) => result switch
    {
        { Succeeded: false } => throw new InvalidOperationException(result.Summary),
        { Value: LeadListPage p } => new Outcome(p.Rows.Count, p.Total),
        { Value: ContactListPage p } => new Outcome(p.Rows.Count, p.Total),
        _ => throw new InvalidOperationException("unexpected page"),
    };

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
