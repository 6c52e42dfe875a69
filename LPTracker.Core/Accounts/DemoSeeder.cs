using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Telephony;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Accounts;

/// <summary>Seeds, once and idempotently, the demo account №19079 described in the README.</summary>
public sealed class DemoSeeder(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccountService accounts,
    IPasswordHasher<Employee> hasher,
    SipCredentialIssuer sip,
    TimeProvider time,
    Microsoft.Extensions.Localization.IStringLocalizer<DemoSeeder> l)
{
    public const int AccountNumber = 19079;
    public const string MainEmail = "demo@lptracker.local";
    public const string Password = "demo12345";

    private static readonly (string Suffix, string Name, string Position, bool Enabled, bool Sip, bool InProject2)[] People =
    [
        ("ivan", "Иван Петров", "Менеджер по продажам", true, true, true),
        ("maria", "Мария Смирнова", "Старший менеджер", true, true, false),
        ("alexey", "Алексей Кузнецов", "Менеджер по продажам", false, true, true),
        ("olga", "Ольга Васильева", "Руководитель отдела продаж", true, false, true),
        ("dmitry", "Дмитрий Соколов", "Оператор колл-центра", true, true, false),
        ("elena", "Елена Попова", "Оператор колл-центра", true, false, false),
        ("sergey", "Сергей Лебедев", "Стажёр", false, false, true),
    ];

    /// <summary>Creates the demo account unless it exists; returns false when it was already there.</summary>
    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Accounts.IgnoreQueryFilters().AnyAsync(a => a.Number == AccountNumber, ct))
        {
            return false;
        }

        var main = await accounts.CreateAsync(db, AccountNumber, "ООО «Демо»", MainEmail, Password, signsIn: false, ct);
        db.TenantAccountId = main.AccountId;
        var now = time.GetUtcNow().UtcDateTime;
        main.Name = "Главный аккаунт";
        main.RefreshSearchText();
        var project1 = await db.Projects.SingleAsync(ct);
        var project2 = new Project { AccountId = main.AccountId, Name = "Проект 2", CreatedUtc = now };
        db.Projects.Add(project2);
        await db.SaveChangesAsync(ct);

        // The article's example: the main account is switched on but does not take calls in "Проект 2".
        db.Memberships.Add(new ProjectMembership
        {
            EmployeeId = main.Id, ProjectId = project2.Id, AccountId = main.AccountId, HasAccess = true,
            TakesCalls = false, Sections = ProjectSections.All,
        });

        string[] numbers = ["+78123893201", "+78123893202", "+74951234567", "+74951234568"];
        var virtualNumbers = numbers.Select((n, i) => new VirtualNumber
        {
            AccountId = main.AccountId, E164 = n, ProjectId = i < 2 ? project1.Id : project2.Id, CreatedUtc = now,
        }).ToList();
        db.Numbers.AddRange(virtualNumbers);
        await db.SaveChangesAsync(ct);
        project1.SingleNumberId = virtualNumbers[0].Id;
        project2.SingleNumberId = virtualNumbers[2].Id;

        var index = 0;
        var staff = new List<int>();
        foreach (var p in People)
        {
            var e = new Employee
            {
                AccountId = main.AccountId,
                Name = p.Name,
                Login = LoginRules.Compose(AccountNumber, p.Suffix),
                Position = p.Position,
                Email = $"{p.Suffix}@demo.lptracker.local",
                Phone = $"+7921555{index:D4}",
                IsEnabled = p.Enabled,
                CommonSections = index == 3 ? CommonSections.Employees | CommonSections.Telephony : CommonSections.None,
                Permissions = EmployeePermissions.ExportData | EmployeePermissions.SeeOthersItems,
                DisplayedNumberId = virtualNumbers[index % 2].Id,
                CallReceiving = p.Sip ? CallReceivingMethod.Sip : CallReceivingMethod.Mobile,
                LastLoginUtc = index % 3 == 2 ? null : now.AddHours(-(index * 7 + 1)),
                CreatedUtc = now,
                CurrentProjectId = project1.Id,
            };
            e.PasswordHash = hasher.HashPassword(e, Password);
            e.RefreshSearchText();
            e.Memberships.Add(new ProjectMembership
            {
                ProjectId = project1.Id, AccountId = main.AccountId, HasAccess = true, TakesCalls = index % 4 != 1,
                Sections = ProjectSections.Leads | ProjectSections.Deals | ProjectSections.Contacts | ProjectSections.Tasks,
            });
            if (p.InProject2)
            {
                e.Memberships.Add(new ProjectMembership
                {
                    ProjectId = project2.Id, AccountId = main.AccountId, HasAccess = true, TakesCalls = true,
                    Sections = ProjectSections.Leads | ProjectSections.Contacts,
                });
            }

            db.Employees.Add(e);
            await db.SaveChangesAsync(ct);
            if (p.Sip)
            {
                var account = new SipAccount { EmployeeId = e.Id, AccountId = main.AccountId };
                sip.Issue(account, AccountNumber, now);
                db.SipAccounts.Add(account);
                await db.SaveChangesAsync(ct);
            }

            index++;
            staff.Add(e.Id);
        }

        await Crm.CrmDemoData.SeedAsync(db, main.AccountId, project1.Id, main.Id, staff, now, l, ct);
        return true;
    }
}
