using LPTracker.Core.Accounts;
using LPTracker.Core.Contacts;
using LPTracker.Core.Employees;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsListBench;

/// <summary>The callers the scenarios run as.</summary>
internal sealed record BenchCallers(CallerContext Main, CallerContext SeesOthers, CallerContext OwnAndPool, CallerContext Gated, int DealStageId);

/// <summary>
/// One account, one project: N employees, contacts, and leads over the default funnel — 15% in the pool, 10% without
/// a step date, step dates from 30 days ago to 30 days ahead (so about half of the open ones are overdue).
/// </summary>
internal static class Seed
{
    private const ProjectSections Crm = ProjectSections.Leads | ProjectSections.Deals | ProjectSections.Contacts | ProjectSections.Tasks;

    public static async Task<BenchCallers> RunAsync(IServiceProvider services, int leads, int contacts, int employees)
    {
        var signUp = await services.GetRequiredService<AccountService>().SignUpAsync(
            new SignUpRequest { CompanyName = "Bench", Email = "bench-leads@example.com", Password = "bench12345" });
        var main = new CallerContext(signUp.Value!.AccountId, signUp.Value.EmployeeId);
        var account = main.AccountId;
        var stages = await services.GetRequiredService<FunnelStages>().ListAsync(main, await ProjectAsync(services, account));
        var factory = services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>();
        await using var db = await factory.ForTenantAsync(account);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var project = stages[0].ProjectId;
        var now = DateTime.UtcNow;
        var random = new Random(42);

        var staff = new List<Employee>();
        for (var i = 0; i < employees; i++)
        {
            // Employee 0 sees others; 1 does not; 2 does not and lacks "see new leads while having unprocessed" (gated).
            var permissions = i switch
            {
                0 => EmployeePermissions.SeeOthersItems | EmployeePermissions.SeeNewLeadsWithUnprocessed,
                2 => EmployeePermissions.None,
                _ => EmployeePermissions.SeeNewLeadsWithUnprocessed,
            };
            var e = new Employee
            {
                AccountId = account, Name = $"Менеджер {i}", Login = $"1_m{i}", PasswordHash = "x", CreatedUtc = now, CurrentProjectId = project,
                Permissions = permissions,
            };
            e.RefreshSearchText();
            e.Memberships.Add(new ProjectMembership { AccountId = account, ProjectId = project, HasAccess = true, Sections = Crm });
            staff.Add(e);
        }

        db.Employees.AddRange(staff);
        await db.SaveChangesAsync();

        var contactIds = new List<int>();
        for (var batch = 0; batch < contacts; batch += 5000)
        {
            var list = Enumerable.Range(batch, Math.Min(5000, contacts - batch)).Select(i =>
            {
                var c = new Contact { AccountId = account, ProjectId = project, Name = $"Клиент {i}", CreatedUtc = now, UpdatedUtc = now };
                var e164 = $"+7916{i:D7}";
                c.Phones.Add(new ContactPhone { AccountId = account, ProjectId = project, E164 = e164, Tail = ContactPhone.TailOf(e164) });
                c.RefreshSearchText();
                return c;
            }).ToList();
            db.Contacts.AddRange(list);
            await db.SaveChangesAsync();
            contactIds.AddRange(list.Select(c => c.Id));
            db.ChangeTracker.Clear();
        }

        for (var batch = 0; batch < leads; batch += 5000)
        {
            var list = Enumerable.Range(batch, Math.Min(5000, leads - batch)).Select(i =>
            {
                var lead = new Lead
                {
                    AccountId = account, ProjectId = project, Title = $"Заявка {i} с сайта", Source = "сайт",
                    ContactId = contactIds[random.Next(contactIds.Count)], StageId = stages[random.Next(stages.Count)].Id,
                    OwnerId = random.NextDouble() < 0.15 ? null : staff[random.Next(staff.Count)].Id,
                    StepDateUtc = random.NextDouble() < 0.1 ? null : now.AddMinutes(random.Next(-43_200, 43_200)),
                    Amount = random.Next(1000, 500_000), CreatedUtc = now, UpdatedUtc = now,
                };
                lead.RefreshSearchText();
                return lead;
            }).ToList();
            db.Leads.AddRange(list);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        CallerContext Of(int i) => new(account, staff[i].Id);
        return new BenchCallers(main, Of(0), Of(1), Of(2), stages.First(s => s.Kind == StageKind.Deal).Id);
    }

    /// <summary>The same callers read back from a database an earlier run seeded (see <c>--db</c>).</summary>
    public static async Task<BenchCallers> CallersAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>().CreateDbContextAsync();
        var people = await db.Employees.IgnoreQueryFilters().Where(e => e.IsMain || e.Login.StartsWith("1_m"))
            .Select(e => new { e.Id, e.AccountId, e.IsMain, e.Login }).ToListAsync();
        var main = people.Single(e => e.IsMain);
        CallerContext Of(int i) => new(main.AccountId, people.Single(e => e.Login == $"1_m{i}").Id);
        var deal = await db.Stages.IgnoreQueryFilters().Where(s => s.AccountId == main.AccountId && s.Kind == StageKind.Deal).OrderBy(s => s.Order).Select(s => s.Id).FirstAsync();
        return new BenchCallers(new CallerContext(main.AccountId, main.Id), Of(0), Of(1), Of(2), deal);
    }

    private static async Task<int> ProjectAsync(IServiceProvider services, int account)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(account);
        return await db.Projects.Select(p => p.Id).SingleAsync();
    }
}
