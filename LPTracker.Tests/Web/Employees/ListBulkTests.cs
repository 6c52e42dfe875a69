using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Web.Components.Pages.Employees;
using MudBlazor;

namespace LPTracker.Tests.Web.Employees;

/// <summary>The list's selection, the bulk bar, the one confirmation and the summary (issue 12, item 5).</summary>
public sealed class ListBulkTests : IAsyncLifetime
{
    private ListPageContext _ctx = null!;
    private CallerContext _main = null!;
    private CallerContext _admin = null!;
    private int _ivan;
    private int _maria;

    public async Task InitializeAsync()
    {
        _ctx = await ListPageContext.CreateAsync();
        var host = _ctx.Host;
        _main = await host.SignUpAsync();
        var p1 = await host.FirstProjectAsync(_main.AccountId);
        _ivan = await host.AddEmployeeAsync(_main.AccountId, "Иван Петров", new() { [p1] = (true, true) });
        _maria = await host.AddEmployeeAsync(_main.AccountId, "Мария Смирнова", new() { [p1] = (true, true) });
        _admin = new CallerContext(_main.AccountId, await host.AddEmployeeAsync(_main.AccountId, "Админ Админов",
            new() { [p1] = (true, true) }, sections: CommonSections.Employees));
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Ticking_two_rows_and_switching_them_off_reports_both_done()
    {
        _ctx.SignIn(_main);
        var (popovers, dialogs, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=row-select]").Count));

        Tick(page, _ivan);
        Tick(page, _maria);
        Assert.Equal("Выбрано: 2", page.Find("[data-testid=bulk-count]").TextContent.Trim());
        RunAction(page, popovers, dialogs, "SwitchOff");

        page.WaitForAssertion(() => Assert.Contains("сделано — 2, без изменений — 0, отказано — 0",
            page.Find("[data-testid=bulk-summary-counts]").TextContent, StringComparison.Ordinal));
        Assert.False((await _ctx.Host.FindAsync(_main.AccountId, _ivan))!.IsEnabled);
        Assert.False((await _ctx.Host.FindAsync(_main.AccountId, _maria))!.IsEnabled);
        Assert.Empty(page.FindAll("[data-testid=bulk-bar]"));
    }

    [Fact]
    public async Task The_whole_page_includes_the_main_account_and_oneself_and_the_summary_names_their_refusals()
    {
        _ctx.SignIn(_admin);
        var (popovers, dialogs, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=row-select]").Count));

        page.Find("[data-testid=select-page]").Change(true);
        RunAction(page, popovers, dialogs, "SwitchOff");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=bulk-refused]").Count));
        var refused = page.FindAll("[data-testid=bulk-refused]").ToDictionary(r => int.Parse(r.GetAttribute("data-id")!), r => r.TextContent);
        Assert.Contains("Групповые действия не применяются к главному аккаунту.", refused[_main.EmployeeId], StringComparison.Ordinal);
        Assert.Contains("Групповые действия не применяются к вам самим.", refused[_admin.EmployeeId], StringComparison.Ordinal);
        Assert.True((await _ctx.Host.FindAsync(_main.AccountId, _admin.EmployeeId))!.IsEnabled);
        Assert.False((await _ctx.Host.FindAsync(_main.AccountId, _ivan))!.IsEnabled);
    }

    [Fact]
    public async Task All_matching_reaches_rows_beyond_the_loaded_page()
    {
        var p1 = await _ctx.Host.FirstProjectAsync(_main.AccountId);
        for (var i = 0; i < 26; i++)
        {
            await _ctx.Host.AddEmployeeAsync(_main.AccountId, $"Сотрудник {i:00}", new() { [p1] = (true, true) });
        }

        _ctx.SignIn(_main);
        var (popovers, dialogs, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=row-select]").Count));

        page.Find("[data-testid=select-page]").Change(true);
        page.Find("[data-testid=bulk-select-all]").Click();
        Assert.Equal("Выбраны все подходящие: 30", page.Find("[data-testid=bulk-count]").TextContent.Trim());
        RunAction(page, popovers, dialogs, "SwitchOff");

        // 29 switched off; the main account (the caller) is refused.
        page.WaitForAssertion(() => Assert.Contains("сделано — 29, без изменений — 0, отказано — 1",
            page.Find("[data-testid=bulk-summary-counts]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Delete_is_not_offered_without_the_delete_permission()
    {
        _ctx.SignIn(_admin);
        var (popovers, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=row-select]").Count));

        Tick(page, _ivan);
        page.Find("[data-testid=bulk-bar] .mud-menu button").Click();

        popovers.WaitForElement("[data-testid=bulk-SwitchOff]");
        Assert.Empty(popovers.FindAll("[data-testid=bulk-Delete]"));
    }

    private static void Tick(IRenderedComponent<EmployeeList> page, int id) =>
        page.Find($"[data-testid=row-select][data-id='{id}']").Change(true);

    private static void RunAction(IRenderedComponent<EmployeeList> page, IRenderedComponent<MudPopoverProvider> popovers,
        IRenderedComponent<MudDialogProvider> dialogs, string action)
    {
        page.Find("[data-testid=bulk-bar] .mud-menu button").Click();
        popovers.WaitForElement($"[data-testid=bulk-{action}]").Click();
        dialogs.WaitForElement("[data-testid=bulk-confirm]").Click();
    }
}
