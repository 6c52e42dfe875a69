using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Analytics;

namespace LPTracker.Tests.Web.Analytics;

public sealed class AnalyticsPageTests : IAsyncLifetime
{
    private const ProjectSections Crm = ProjectSections.Leads | ProjectSections.Deals | ProjectSections.Analytics;
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;
    private CallerContext _ivan = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
        _ivan = await _core.AddCrmEmployeeAsync(_owner, "ivan", Crm, EmployeePermissions.SeeNewLeadsWithUnprocessed);
        await _core.AddCrmEmployeeAsync(_owner, "petr", Crm);
        var now = _core.Time.GetUtcNow().UtcDateTime;
        var id = await _core.AddLeadAsync(_owner, "Иван <b>1</b>", _ivan, now.AddDays(1));
        await _core.EditLeadAsync(_ivan, id, form => (form.StepDateUtc, form.StepDateReason) = (now.AddDays(2), "Клиент <i>в отпуске</i>"));
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task The_table_lists_every_employee_and_the_pool_with_a_chart()
    {
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<AnalyticsPage>();

        cut.WaitForAssertion(() => Assert.Contains("ivan", cut.FindAll("[data-testid=analytics-name]").Select(e => e.TextContent)));
        Assert.Contains("petr", cut.FindAll("[data-testid=analytics-name]").Select(e => e.TextContent));
        Assert.Equal("Пул (без ответственного)", cut.FindAll("[data-testid=analytics-name]")[^1].TextContent);
        Assert.NotEmpty(cut.Find("[data-testid=analytics-chart]").QuerySelectorAll("svg"));
    }

    [Fact]
    public async Task Clicking_the_moves_count_lists_the_moves_with_their_reasons_as_text()
    {
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<AnalyticsPage>();

        cut.WaitForElement("a[data-testid=analytics-moves], [data-testid=analytics-moves].mud-link").Click();

        cut.WaitForAssertion(() => Assert.Equal("Клиент <i>в отпуске</i>", cut.Find("[data-testid=move-reason]").TextContent));
        Assert.Equal("Переносы даты шага: ivan", cut.Find("[data-testid=moves-title]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=moves-table] i"));
    }

    [Fact]
    public async Task Without_see_others_only_the_own_row_and_the_pool_show()
    {
        await using var ctx = SignedIn(_ivan);

        var cut = ctx.Render<AnalyticsPage>();

        cut.WaitForElement("[data-testid=analytics-own-only]");
        Assert.Equal(["ivan", "Пул (без ответственного)"], cut.FindAll("[data-testid=analytics-name]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task Without_the_analytics_section_the_page_shows_no_access()
    {
        var leadsOnly = await _core.AddCrmEmployeeAsync(_owner, "leads", ProjectSections.Leads, EmployeePermissions.SeeOthersItems);
        await using var ctx = SignedIn(leadsOnly);

        var cut = ctx.Render<AnalyticsPage>();

        cut.WaitForElement("[data-testid=no-access]");
        Assert.Empty(cut.FindAll("[data-testid=analytics-table]"));
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        ctx.Render<MudBlazor.MudPopoverProvider>();
        return ctx;
    }
}
