using LPTracker.Core;
using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Bench;

/// <summary>
/// <c>seed --folder DIR --users N --realm R</c>: the product's own SQLite database (DIR/lptracker.db) with one account and
/// N employees holding SIP accounts (password <c>pw&lt;n&gt;</c>), and DIR/users.csv for sipp; so the load test runs
/// against <c>LPTracker.Web</c> as shipped. <c>--provider Postgres --connection CS</c> seeds a PostgreSQL database instead.
/// </summary>
internal static class WebSeeder
{
    public static async Task<int> RunAsync(string[] args)
    {
        var folder = Path.GetFullPath(Arg(args, "--folder") ?? "bench-web");
        var users = int.Parse(Arg(args, "--users") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
        var realm = Arg(args, "--realm") ?? "127.0.0.1";
        await using var services = await CoreServicesAsync(args, folder, realm);
        var signUp = await services.GetRequiredService<AccountService>().SignUpAsync(new SignUpRequest
        {
            CompanyName = "Bench", Email = $"bench-{Guid.NewGuid():N}@example.com", Password = "bench12345",
        });
        var accountId = signUp.Value!.AccountId;
        await using var db = await services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync();
        var employees = Enumerable.Range(1, users).Select(i =>
        {
            var e = new Employee { AccountId = accountId, Name = $"Bench {i}", Login = LoginRules.Compose(number, $"b{i}"), PasswordHash = "x" };
            e.RefreshSearchText();
            return e;
        }).ToList();
        db.Employees.AddRange(employees);
        await db.SaveChangesAsync();
        await using var csv = new StreamWriter(Path.Combine(folder, "users.csv"));
        await csv.WriteLineAsync("SEQUENTIAL");
        for (var i = 0; i < employees.Count; i++)
        {
            var user = SipCredentialIssuer.UserNameFor(number, employees[i].Id);
            var password = $"pw{i + 1}";
            db.SipAccounts.Add(new SipAccount
            {
                EmployeeId = employees[i].Id, AccountId = accountId, UserName = user, Realm = realm, ProtectedPassword = "-",
                Ha1Md5 = SipDigest.Ha1Md5(user, realm, password), Ha1Sha256 = SipDigest.Ha1Sha256(user, realm, password),
                CreatedUtc = DateTime.UtcNow,
            });
            // sipp 3.6 does not expand [field] inside [authentication]: the whole keyword is a CSV field.
            await csv.WriteLineAsync($"{user};[authentication username={user} password={password}];");
        }

        await db.SaveChangesAsync();
        Console.WriteLine($"SEEDED {users} SIP users in {folder}");
        return 0;
    }

    /// <summary>Core's services on the database named by <c>--provider</c>/<c>--connection</c> (default: SQLite in
    /// <paramref name="folder"/>), migrated.</summary>
    public static async Task<ServiceProvider> CoreServicesAsync(string[] args, string folder, string realm)
    {
        Directory.CreateDirectory(folder);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = Arg(args, "--provider") ?? "Sqlite",
            ["ConnectionStrings:Lptracker"] = Arg(args, "--connection") ?? $"Data Source={Path.Combine(folder, "lptracker.db")}",
            ["DataFolder"] = folder,
            ["Sip:Domain"] = realm,
        });
        builder.Services.AddLogging();
        builder.AddCore();
        var services = builder.Services.BuildServiceProvider();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return services;
    }

    public static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
