using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmployeesListBench;

/// <summary>One account with N employees spread over P projects (1–3 memberships each, 60% with SIP).</summary>
internal static class Seed
{
    private static readonly string[] First = ["Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Елена", "Сергей", "Анна", "Павел", "Наталья"];
    private static readonly string[] Last = ["Петров", "Смирнова", "Кузнецов", "Васильева", "Соколов", "Попова", "Лебедев", "Новикова", "Морозов", "Волкова"];

    public const string Email = "bench-owner@example.com";
    public const string Password = "bench12345";

    public static async Task<(CallerContext Main, List<int> Sip)> RunAsync(IServiceProvider services, int employees, int projects)
    {
        var signUp = await services.GetRequiredService<AccountService>().SignUpAsync(
            new SignUpRequest { CompanyName = "Bench", Email = Email, Password = Password });
        var main = new CallerContext(signUp.Value!.AccountId, signUp.Value.EmployeeId);
        var factory = services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>();
        await using var db = await factory.ForTenantAsync(main.AccountId);
        var projectIds = new List<int> { await db.Projects.Select(p => p.Id).SingleAsync() };
        for (var i = 2; i <= projects; i++)
        {
            var p = new Project { AccountId = main.AccountId, Name = $"Проект {i}", CreatedUtc = DateTime.UtcNow };
            db.Projects.Add(p);
            await db.SaveChangesAsync();
            projectIds.Add(p.Id);
        }

        var random = new Random(42);
        var now = DateTime.UtcNow;
        var sip = new List<int>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var batch = 0; batch < employees; batch += 1000)
        {
            var list = new List<Employee>();
            for (var i = batch; i < Math.Min(employees, batch + 1000); i++)
            {
                var e = new Employee
                {
                    AccountId = main.AccountId, Name = $"{Last[random.Next(Last.Length)]} {First[random.Next(First.Length)]} {i}",
                    Login = $"1_user{i}", PasswordHash = "x", Email = $"user{i}@example.com", Phone = $"+7921{i:D7}",
                    Position = i % 3 == 0 ? "Менеджер" : "Оператор", IsEnabled = random.NextDouble() < 0.8,
                    LastLoginUtc = random.NextDouble() < 0.7 ? now.AddMinutes(-random.Next(100_000)) : null, CreatedUtc = now,
                };
                e.RefreshSearchText();
                foreach (var p in projectIds.OrderBy(_ => random.Next()).Take(1 + random.Next(3)))
                {
                    e.Memberships.Add(new ProjectMembership
                    {
                        ProjectId = p, AccountId = main.AccountId, HasAccess = true, TakesCalls = random.NextDouble() < 0.7,
                        Sections = ProjectSections.Leads,
                    });
                }

                list.Add(e);
            }

            db.Employees.AddRange(list);
            await db.SaveChangesAsync();
            foreach (var e in list.Where((_, k) => k % 5 < 3))
            {
                db.SipAccounts.Add(new SipAccount
                {
                    EmployeeId = e.Id, AccountId = main.AccountId, UserName = $"u{e.Id}", Ha1Md5 = "x", Ha1Sha256 = "x",
                    ProtectedPassword = "x", Realm = "bench", CreatedUtc = now,
                });
                sip.Add(e.Id);
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        return (main, sip);
    }
}

/// <summary>Half of the SIP accounts online, as a registrar would report.</summary>
internal sealed class BenchPresence : ISipPresenceSource
{
    public HashSet<int> Online { get; } = [];

    public SipPresence Get(int employeeId) =>
        Online.Contains(employeeId) ? new SipPresence(SipStatus.Online, DateTime.UtcNow, "bench", "udp:127.0.0.1:5062") : new SipPresence(SipStatus.Disconnected);
}
