using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Shell;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Web.Shell;

public sealed class NavMenuTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;

    public async Task InitializeAsync() => _core = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task The_main_account_sees_every_section_of_the_catalogue()
    {
        var owner = await _core.SignUpAsync();
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(owner);

        var nav = ctx.Render<NavMenu>();

        nav.WaitForAssertion(() =>
        {
            var links = nav.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")).ToList();
            Assert.Equal(NavCatalog.Items.Select(i => i.Href), links);
        });
    }

    [Fact]
    public async Task The_link_of_the_current_section_is_marked_active_and_follows_navigation()
    {
        var owner = await _core.SignUpAsync();
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(owner);
        var navigation = ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/employees/5");

        var nav = ctx.Render<NavMenu>();

        nav.WaitForAssertion(() => Assert.Equal(["/employees"], ActiveLinks(nav)));
        navigation.NavigateTo("/audit?page=2");
        nav.WaitForAssertion(() => Assert.Equal(["/audit"], ActiveLinks(nav)));
    }

    private static List<string?> ActiveLinks(IRenderedComponent<NavMenu> nav) =>
        nav.FindAll("a.mud-nav-link.active").Select(a => a.GetAttribute("href")).ToList();

    [Fact]
    public async Task An_employee_without_sections_sees_only_what_every_employee_has_their_own_call_log()
    {
        var owner = await _core.SignUpAsync();
        var ivan = await _core.AddEmployeeAsync(owner, "ivan", CommonSections.None);
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(ivan);

        var nav = ctx.Render<NavMenu>();

        nav.WaitForAssertion(() =>
        {
            var links = nav.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")).ToList();
            // AddEmployeeAsync grants the Leads section of the first project, a per-project section the menu honours.
            Assert.Equal(["/leads", "/calls"], links);
            Assert.DoesNotContain("Нет доступных разделов", nav.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task An_employee_with_the_employees_section_sees_only_the_sections_it_holds()
    {
        var owner = await _core.SignUpAsync();
        var admin = await _core.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(admin);

        var nav = ctx.Render<NavMenu>();

        nav.WaitForAssertion(() =>
        {
            var links = nav.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")).ToList();
            var expected = NavCatalog.Items.Where(i => i.Section is null or CommonSections.Employees)
                .Where(i => i.ProjectSection is null or ProjectSections.Leads).Select(i => i.Href);
            Assert.Equal(expected, links);
            Assert.Contains("/employees", links);
        });
    }

    [Fact]
    public async Task A_section_guard_shows_no_access_to_an_employee_without_the_section()
    {
        var owner = await _core.SignUpAsync();
        var ivan = await _core.AddEmployeeAsync(owner, "ivan", CommonSections.None);
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(ivan);

        var guard = ctx.Render<SectionGuard>(p => p
            .Add(g => g.Section, CommonSections.Employees)
            .Add(g => g.ChildContent, _ => b => b.AddMarkupContent(0, "<p id=secret>secret</p>")));

        guard.WaitForAssertion(() =>
        {
            Assert.NotNull(guard.Find("[data-testid=no-access]"));
            Assert.Empty(guard.FindAll("#secret"));
        });
    }

    [Fact]
    public async Task A_section_guard_shows_the_page_to_an_employee_holding_the_section()
    {
        var owner = await _core.SignUpAsync();
        var admin = await _core.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(admin);

        var guard = ctx.Render<SectionGuard>(p => p
            .Add(g => g.Section, CommonSections.Employees)
            .Add(g => g.ChildContent, _ => b => b.AddMarkupContent(0, "<p id=secret>secret</p>")));

        guard.WaitForAssertion(() => Assert.NotNull(guard.Find("#secret")));
    }
}
