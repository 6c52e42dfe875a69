using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Leads;

namespace LPTracker.Tests.Web.Leads;

public sealed class LeadPagesTests : IAsyncLifetime
{
    private const ProjectSections Crm = ProjectSections.Leads | ProjectSections.Deals;
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    private DateTime Now => _core.Time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task Without_see_others_the_list_shows_own_and_pool_leads_only()
    {
        var ivan = await _core.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _core.AddCrmEmployeeAsync(_owner, "petr", Crm);
        await _core.AddLeadAsync(_owner, "Лид Ивана", ivan);
        await _core.AddLeadAsync(_owner, "Лид пула");
        await _core.AddLeadAsync(_owner, "Лид Петра", petr);
        await using var ctx = SignedIn(ivan);

        var cut = ctx.Render<LeadList>();

        cut.WaitForAssertion(() => Assert.Equal(["Лид Ивана", "Лид пула"],
            cut.FindAll("[data-testid=lead-row]").Select(a => a.TextContent).Order(StringComparer.Ordinal)));
        Assert.Empty(cut.FindAll("[data-testid=overdue-banner]"));
    }

    [Fact]
    public async Task An_employee_with_an_overdue_lead_sees_the_banner_and_nothing_new()
    {
        var ivan = await _core.AddCrmEmployeeAsync(_owner, "ivan", Crm);
        await _core.AddLeadAsync(_owner, "Просроченный", ivan, Now.AddHours(1));
        await _core.AddLeadAsync(_owner, "Новый в пуле");
        _core.Time.Advance(TimeSpan.FromHours(2));
        await using var ctx = SignedIn(ivan);

        var cut = ctx.Render<LeadList>();

        cut.WaitForAssertion(() => Assert.StartsWith("Обработайте 1 просроченных лидов", cut.Find("[data-testid=overdue-banner]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["Просроченный"], cut.FindAll("[data-testid=lead-row]").Select(a => a.TextContent));
    }

    [Fact]
    public async Task Another_employees_lead_typed_in_the_address_shows_no_access_without_see_others()
    {
        var ivan = await _core.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _core.AddCrmEmployeeAsync(_owner, "petr", Crm);
        var petrs = await _core.AddLeadAsync(_owner, "Лид Петра", petr);
        await using var ctx = SignedIn(ivan);

        var cut = ctx.Render<LeadCardPage>(p => p.Add(c => c.Id, petrs));

        cut.WaitForElement("[data-testid=no-access]");
        Assert.DoesNotContain("Лид Петра", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_card_shows_an_overdue_lead_and_its_history_with_the_reason_as_text()
    {
        var id = await _core.AddLeadAsync(_owner, "<b>Лид</b>", stepDateUtc: Now.AddHours(1));
        await _core.EditLeadAsync(_owner, id, f => (f.StepDateUtc, f.StepDateReason) = (Now.AddMinutes(30), "<i>клиент</i> просил"));
        _core.Time.Advance(TimeSpan.FromHours(2));
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<LeadCardPage>(p => p.Add(c => c.Id, id));

        cut.WaitForAssertion(() => Assert.Equal("<b>Лид</b>", cut.Find("[data-testid=lead-heading]").TextContent));
        Assert.NotNull(cut.Find("[data-testid=lead-overdue]"));
        Assert.Contains("<i>клиент</i> просил", cut.Find("[data-testid=lead-history]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=lead-history] i, h1 b"));
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        ctx.Render<MudBlazor.MudPopoverProvider>();
        return ctx;
    }
}
