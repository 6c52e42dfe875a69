using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FanOutBench;

/// <summary>One seeded account: its owner's login, its probe employee and its phones' SIP users.</summary>
internal sealed record BenchAccount(int AccountId, string Email, int ProbeId, string ProbeUser, List<string> PhoneUsers);

/// <summary>
/// N accounts, each with a probe employee (first on the list's first page, sorted by name) and M phones (employees
/// with SIP accounts, password <c>pw</c>), all working in the account's first project.
/// </summary>
internal static class Seed
{
    public const string Password = "bench12345";
    public const string SipPassword = "pw";

    public static async Task<List<BenchAccount>> RunAsync(IServiceProvider services, int accounts, int phonesPerAccount, string realm)
    {
        var result = new List<BenchAccount>();
        var factory = services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>();
        for (var a = 0; a < accounts; a++)
        {
            var email = $"fanout-{a}-{Guid.NewGuid():N}@example.com";
            var signUp = await services.GetRequiredService<AccountService>().SignUpAsync(
                new SignUpRequest { CompanyName = $"Bench {a}", Email = email, Password = Password });
            var accountId = signUp.Value!.AccountId;
            await using var db = await factory.ForTenantAsync(accountId);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var number = await db.Accounts.Select(x => x.Number).SingleAsync();
            var project = await db.Projects.Select(p => p.Id).SingleAsync();
            var employees = new List<Employee>();
            for (var i = 0; i <= phonesPerAccount; i++)
            {
                // "Аааа" sorts before "Яя": the probe is on the first page; phones fill the rest.
                var e = new Employee
                {
                    AccountId = accountId, Name = i == 0 ? $"Аааа проба {a}" : $"Яя фон {a}-{i:D5}", Login = LoginRules.Compose(number, $"p{i}"),
                    PasswordHash = "x", CreatedUtc = DateTime.UtcNow,
                };
                e.RefreshSearchText();
                e.Memberships.Add(new ProjectMembership { ProjectId = project, AccountId = accountId, HasAccess = true, TakesCalls = true });
                employees.Add(e);
            }

            db.Employees.AddRange(employees);
            await db.SaveChangesAsync();
            var users = new List<string>();
            foreach (var e in employees)
            {
                var user = SipCredentialIssuer.UserNameFor(number, e.Id);
                db.SipAccounts.Add(new SipAccount
                {
                    EmployeeId = e.Id, AccountId = accountId, UserName = user, Realm = realm, ProtectedPassword = "-",
                    Ha1Md5 = SipDigest.Ha1Md5(user, realm, SipPassword), Ha1Sha256 = SipDigest.Ha1Sha256(user, realm, SipPassword),
                    CreatedUtc = DateTime.UtcNow,
                });
                users.Add(user);
            }

            await db.SaveChangesAsync();
            result.Add(new BenchAccount(accountId, email, employees[0].Id, users[0], users[1..]));
        }

        return result;
    }

    /// <summary>A sipp injection file: user name, then the whole <c>[authentication]</c> keyword (sipp 3.6 does not expand fields in it).</summary>
    public static async Task WriteUsersAsync(string path, IEnumerable<string> users)
    {
        await using var csv = new StreamWriter(path);
        await csv.WriteLineAsync("SEQUENTIAL");
        foreach (var user in users)
        {
            await csv.WriteLineAsync($"{user};[authentication username={user} password={SipPassword}];");
        }
    }
}
