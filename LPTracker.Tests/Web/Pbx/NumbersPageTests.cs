using Bunit;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Pbx;
using MudBlazor;

namespace LPTracker.Tests.Web.Pbx;

public sealed class NumbersPageTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task The_accounts_numbers_are_listed_with_where_they_are_used()
    {
        var id = await _core.AddNumberAsync(_owner, "+78123893201");
        await _core.AddNumberAsync(_owner, "+78123893202");
        var editor = _core.Get<EmployeeEditorService>();
        var form = EditorArrange.ValidNewForm((await editor.NewAsync(_owner)).Value!);
        form.DisplayedNumberId = id;
        await editor.CreateAsync(_owner, form);
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<Numbers>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=numbers-table] tbody tr").Count));
        Assert.Contains("Отображаемый номер: Иван Петров", cut.Find("[data-testid='number-+78123893201']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Не используется", cut.Find("[data-testid='number-+78123893202']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_typed_in_any_format_is_added()
    {
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<Numbers>();

        cut.WaitForElement("input[data-testid=number-input]").Input("8 (812) 389-32-98");
        cut.Find("[data-testid=number-add]").Click();

        cut.WaitForAssertion(() => Assert.Contains("+7 812 389-32-98", cut.Find("[data-testid='number-+78123893298']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Something_that_is_not_a_number_is_flagged_on_the_field()
    {
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<Numbers>();

        cut.WaitForElement("input[data-testid=number-input]").Input("позвоните мне");
        cut.Find("[data-testid=number-add]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Введите номер телефона", cut.Find(".mud-input-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removing_a_number_in_use_says_where_it_is_used()
    {
        var id = await _core.AddNumberAsync(_owner, "+78123893201");
        var strategy = _core.Get<LPTracker.Core.Projects.CallStrategyService>();
        var form = (await strategy.GetAsync(_owner)).Value!.Projects.Single();
        form.SingleNumberId = id;
        await strategy.SaveAsync(_owner, form);
        await using var ctx = SignedIn(_owner);
        var dialogs = ctx.Render<MudDialogProvider>();
        var cut = ctx.Render<Numbers>();

        cut.WaitForElement("[data-testid=number-remove]").Click();
        dialogs.WaitForElement(".mud-dialog-actions");
        dialogs.FindAll(".mud-dialog-actions button")[^1].Click();

        cut.WaitForAssertion(() => Assert.Contains("единый номер проектов — Проект 1", cut.Find("[data-testid=numbers-error]").TextContent, StringComparison.Ordinal));
        Assert.Single((await _core.Get<NumberService>().ListAsync(_owner)).Value!.Numbers);
    }

    [Fact]
    public async Task The_numbers_page_is_closed_without_the_telephony_section()
    {
        var admin = await _core.AddEmployeeAsync(_owner, "admin", CommonSections.Employees);
        await using var ctx = SignedIn(admin);

        var cut = ctx.Render<Numbers>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-access]")));
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        return ctx;
    }
}
