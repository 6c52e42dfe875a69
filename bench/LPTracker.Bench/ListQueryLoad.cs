using System.Diagnostics;
using System.Globalization;
using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Bench;

/// <summary>
/// <c>list-load --provider P --connection CS --seconds S</c>: times <see cref="EmployeeListService.LoadAsync"/> (the
/// Employees grid's server call: the first page of 25 in All plus the counters) for the seeded account's main employee,
/// back to back for S seconds, and prints the count, median and p95. bench/scale/two-nodes.sh runs it while the
/// console nodes take REGISTERs on the same database, so it shows what the registrations cost the list.
/// </summary>
internal static class ListQueryLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(WebSeeder.Arg(args, "--seconds") ?? "10", CultureInfo.InvariantCulture);
        var folder = Path.Combine(Path.GetTempPath(), "lpt-list-load-" + Guid.NewGuid().ToString("N"));
        await using var services = await WebSeeder.CoreServicesAsync(args, folder, "127.0.0.1");
        CallerContext main;
        await using (var db = await services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>().CreateDbContextAsync())
        {
            // The bench account: the one with the most employees (seed makes one).
            var account = await db.Employees.IgnoreQueryFilters().GroupBy(e => e.AccountId)
                .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            var owner = await db.Employees.IgnoreQueryFilters().Where(e => e.AccountId == account && e.IsMain).Select(e => e.Id).SingleAsync();
            main = new CallerContext(account, owner);
        }

        var list = services.GetRequiredService<EmployeeListService>();
        var query = new EmployeeListQuery(EmployeeListScope.All);
        for (var i = 0; i < 10; i++)
        {
            var warm = await list.LoadAsync(main, query);
            if (!warm.Succeeded)
            {
                throw new InvalidOperationException(warm.Summary);
            }
        }

        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var watch = Stopwatch.StartNew();
            await list.LoadAsync(main, query);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"list query: {samples.Count} runs in {seconds:F0} s, median {samples[samples.Count / 2]:F2} ms, p95 {samples[(int)(samples.Count * 0.95)]:F2} ms"));
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
