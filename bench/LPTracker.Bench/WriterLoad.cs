using System.Diagnostics;
using System.Net;
using LPTracker.Core.Cluster;
using LPTracker.Core.Persistence;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Integration;
using SipBinding = LPTracker.Telephony.Registrar.SipBinding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LPTracker.Bench;

/// <summary>
/// <c>writers [--users N] [--rounds R]</c>: what the two writers a registration storm feeds cost on their own, in CPU
/// per row — N phones' first REGISTER after a restart is N binding rows (<see cref="DbBindingPersistence"/>, batches of
/// 1,600 users as at 8,000/s) and N history rows (<see cref="RegistrationHistoryWriter"/>, batches of
/// <see cref="RegistrationEventPump.MaxBatch"/>). The product's SQLite database with N SIP accounts in a temp folder;
/// each writer warms up as in the product, then R rounds (CPU is the process's user+system time, so it holds on a
/// loaded machine better than wall time; the first round still pays the optimised recompiles).
/// </summary>
internal static class WriterLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = int.Parse(WebSeeder.Arg(args, "--users") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
        var rounds = int.Parse(WebSeeder.Arg(args, "--rounds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var folder = Path.Combine(Path.GetTempPath(), "lpt-writers-" + Guid.NewGuid().ToString("N"));
        try
        {
            await WebSeeder.RunAsync(["--folder", folder, "--users", users.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await using var services = await WebSeeder.CoreServicesAsync([], folder, "127.0.0.1");
            var dbFactory = services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>();
            List<(string UserName, int EmployeeId, int AccountId)> accounts;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                accounts = (await db.SipAccounts.IgnoreQueryFilters().OrderBy(s => s.EmployeeId)
                    .Select(s => new { s.UserName, s.EmployeeId, s.AccountId }).ToListAsync())
                    .ConvertAll(s => (s.UserName, s.EmployeeId, s.AccountId));
            }

            var history = new RegistrationHistoryWriter(dbFactory, Options.Create(new RegistrationHistoryOptions { MaxPerHour = 1000 }));
            await history.WarmUpAsync(CancellationToken.None);
            await using var bindings = new DbBindingPersistence(dbFactory, NullLogger<DbBindingPersistence>.Instance, new NodeIdentity("bench"));
            await bindings.LoadAsync(CancellationToken.None);
            Console.WriteLine($"{users} SIP users; CPU per row (process user+system), wall per row; load {File.ReadAllText("/proc/loadavg")[..14]}");
            for (var round = 1; round <= rounds; round++)
            {
                var now = DateTimeOffset.UtcNow;
                var (cpu, wall) = await TimeAsync(async () =>
                {
                    foreach (var chunk in accounts.Chunk(RegistrationEventPump.MaxBatch))
                    {
                        await history.WriteAsync(chunk.Select(a => new RegistrationTransition(a.AccountId, a.EmployeeId, round % 2 == 1,
                            RegistrationReason.Registered, now.UtcDateTime, "bench/1.0", "127.0.0.1:5060", "UDP")).ToList(), CancellationToken.None);
                    }
                });
                Console.WriteLine($"round {round}: history  {users} rows: {cpu * 1e6 / users,6:F1} us CPU, {wall * 1e6 / users,6:F1} us wall per row");
                (cpu, wall) = await TimeAsync(async () =>
                {
                    foreach (var chunk in accounts.Chunk(1600))
                    {
                        foreach (var a in chunk)
                        {
                            await bindings.SaveAsync(a.UserName, [Binding(a, now, round)], CancellationToken.None);
                        }

                        await bindings.FlushAsync();
                    }
                });
                Console.WriteLine($"round {round}: bindings {users} rows: {cpu * 1e6 / users,6:F1} us CPU, {wall * 1e6 / users,6:F1} us wall per row");
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static SipBinding Binding((string UserName, int EmployeeId, int AccountId) a, DateTimeOffset now, int round) => new()
    {
        UserName = a.UserName, ContactUri = $"sip:{a.UserName}@127.0.0.1:{5060 + round}", CallId = $"bench-{round}-{a.EmployeeId}",
        CSeq = (uint)round, RegisteredAt = now, UpdatedAt = now, ExpiresAt = now.AddHours(1), UserAgent = "bench/1.0",
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 5060 + round), EmployeeId = a.EmployeeId, AccountId = a.AccountId,
    };

    private static async Task<(double Cpu, double Wall)> TimeAsync(Func<Task> work)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await work();
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalSeconds, wall.Elapsed.TotalSeconds);
    }
}
