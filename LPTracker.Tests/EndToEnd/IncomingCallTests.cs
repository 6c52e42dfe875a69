using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>
/// Calls reported through Core's real <see cref="ICallEvents"/> (as the B2BUA reports them) reach the consoles in
/// Chromium: the ringing employee's pop-up on every open page, the managers' Employees list.
/// </summary>
public sealed class IncomingCallTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    [Fact]
    public async Task The_card_shows_on_every_page_of_the_employee_and_goes_when_another_employee_answers()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan", "secret123");
        var olga = await app.AddEmployeeAsync(owner, "olga");
        var (login, project) = await LoginAndProjectAsync(ivan);
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var first = await context.NewPageAsync();
        await first.SignInAsync(login, "secret123");
        var second = await context.NewPageAsync();
        await second.GotoAsync("/calls");
        await second.WaitInteractiveAsync();
        var events = app.Get<ICallEvents>();
        var call = Guid.NewGuid();

        events.CallStarted(new CallStartedEvent(call, owner.AccountId, project.Id, CallDirection.Inbound, "+79161234567", "+78123893298", null, DateTime.UtcNow));
        events.LegRinging(Leg(call, Guid.NewGuid(), ivan, project.Id));
        var olgaLeg = Leg(call, Guid.NewGuid(), olga, project.Id);
        events.LegRinging(olgaLeg);

        foreach (var page in new[] { first, second })
        {
            var card = page.Locator("[data-testid=incoming-call]");
            // That it shows; "within a second" is bench/popup-latency's figure, measured away from the suite's load.
            await Assertions.Expect(card).ToBeVisibleAsync();
            await Assertions.Expect(card.Locator("[data-testid=incoming-number]")).ToHaveTextAsync("+7 916 123-45-67");
            await Assertions.Expect(card.Locator("[data-testid=incoming-project]")).ToContainTextAsync(project.Name);
        }

        events.LegAnswered(olgaLeg with { AtUtc = DateTime.UtcNow });

        await Assertions.Expect(first.Locator("[data-testid=incoming-call]")).ToHaveCountAsync(0);
        await Assertions.Expect(second.Locator("[data-testid=incoming-call]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_manager_sees_ringing_then_talking_with_the_duration_ticking_and_the_on_a_call_counter()
    {
        var (owner, email) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (_, project) = await LoginAndProjectAsync(ivan);
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=scope-all]");
        var row = page.Locator("tr", new() { Has = page.Locator("[data-testid=row-name]:has-text('ivan')") });
        await Assertions.Expect(row).ToBeVisibleAsync();
        var events = app.Get<ICallEvents>();
        var call = Guid.NewGuid();
        var leg = Leg(call, Guid.NewGuid(), ivan, project.Id);

        events.CallStarted(new CallStartedEvent(call, owner.AccountId, project.Id, CallDirection.Inbound, "+79161234567", "+78123893298", null, DateTime.UtcNow));
        events.LegRinging(leg);
        await Assertions.Expect(row.Locator("[data-testid=call-state]")).ToHaveTextAsync("Звонок");
        events.LegAnswered(leg with { AtUtc = DateTime.UtcNow });

        var state = row.Locator("[data-testid=call-state]");
        await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "Talking");
        await Assertions.Expect(state.Locator("[data-testid=call-duration]")).ToHaveTextAsync(TwoSecondsOrMore(), new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-testid=counter-oncall-value]")).ToHaveTextAsync("1");
        events.CallEnded(new CallEndedEvent(call, owner.AccountId, CallOutcome.Answered, ivan.EmployeeId, DateTime.UtcNow));
        await Assertions.Expect(state).ToHaveCountAsync(0);
    }

    /// <summary>The clock has ticked past 0:01 (a loaded machine may render 0:01 and then 0:03, never 0:02).</summary>
    private static System.Text.RegularExpressions.Regex TwoSecondsOrMore() => new(@"^0:(0[2-9]|[1-5]\d)$");

    private static CallLegEvent Leg(Guid call, Guid leg, CallerContext employee, int projectId) =>
        new(call, leg, employee.AccountId, projectId, employee.EmployeeId, "+79161234567", "+78123893298", DateTime.UtcNow);

    /// <summary>Puts the employee in the account's first project (working there); returns their login and the project.</summary>
    private async Task<(string Login, ProjectRef Project)> LoginAndProjectAsync(CallerContext employee)
    {
        await using var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        var login = await db.Employees.Where(e => e.Id == employee.EmployeeId).Select(e => e.Login).SingleAsync();
        var project = await db.Projects.OrderBy(p => p.Id).Select(p => new ProjectRef(p.Id, p.Name)).FirstAsync();
        db.Memberships.Add(new ProjectMembership
        {
            AccountId = employee.AccountId, EmployeeId = employee.EmployeeId, ProjectId = project.Id, HasAccess = true, TakesCalls = true,
        });
        await db.SaveChangesAsync();
        return (login, project);
    }
}
