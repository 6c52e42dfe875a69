using Bunit;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Pbx;

namespace LPTracker.Tests.Web.Pbx;

public sealed class CallStrategyPageTests : IAsyncLifetime
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
    public async Task Each_project_has_its_own_strategy_card()
    {
        var second = await _core.AddProjectAsync(_owner, "Проект 2");
        await using var ctx = SignedIn();

        var cut = ctx.Render<CallStrategy>();

        cut.WaitForAssertion(() => Assert.Contains("Проект 2", cut.Find($"[data-testid=strategy-{second}]").TextContent, StringComparison.Ordinal));
        Assert.Equal(2, cut.FindAll("[data-testid=strategy-save]").Count);
    }

    [Fact]
    public async Task Ring_mode_and_timeout_are_saved()
    {
        await using var ctx = SignedIn();
        var cut = ctx.Render<CallStrategy>();

        cut.WaitForElement("input[data-testid=ring-sequential]").Click();
        cut.Find("input[data-testid=ring-timeout]").Input("45");
        cut.Find("[data-testid=strategy-save]").Click();

        cut.WaitForAssertion(async () =>
        {
            var saved = (await _core.Get<CallStrategyService>().GetAsync(_owner)).Value!.Projects.Single();
            Assert.Equal((RingMode.Sequential, 45), (saved.RingMode, saved.RingTimeoutSeconds));
        });
    }

    [Fact]
    public async Task A_timeout_out_of_range_is_flagged_and_not_saved()
    {
        await using var ctx = SignedIn();
        var cut = ctx.Render<CallStrategy>();

        cut.WaitForElement("input[data-testid=ring-timeout]").Input("400");
        cut.Find("[data-testid=strategy-save]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("От 5 до 300 секунд.", cut.Find(".mud-input-error").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal(30, (await _core.Get<CallStrategyService>().GetAsync(_owner)).Value!.Projects.Single().RingTimeoutSeconds);
    }

    [Fact]
    public async Task The_single_number_is_chosen_among_the_accounts_numbers()
    {
        await _core.AddNumberAsync(_owner, "+78123893201");
        await using var ctx = SignedIn();
        var popovers = ctx.RenderPopoverProvider();
        var cut = ctx.Render<CallStrategy>();

        await cut.WaitForElement("[data-testid=single-number]").MouseDownAsync(new());

        popovers.WaitForAssertion(() => Assert.Contains("+7 812 389-32-01", popovers.Markup, StringComparison.Ordinal));
    }

    private ConsoleBunitContext SignedIn()
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(_owner);
        return ctx;
    }
}
