using LPTracker.Core.Projects;
using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>Virtual PBX → Call strategy in a real Chromium: a bad value is shown in place and nothing is saved.</summary>
public sealed class CallStrategyFlowTests(CallStrategyFlowTests.App app) : IClassFixture<CallStrategyFlowTests.App>
{
    public sealed class App : WebAppFixture;

    [Theory]
    [InlineData("400")]
    [InlineData("2")]
    public async Task A_ring_timeout_out_of_range_shows_the_rule_beside_the_field_and_nothing_is_saved(string timeout)
    {
        var (context, page, owner) = await app.OpenSignedInAsync();
        await using var _ = context;
        await page.GotoAsync("/pbx/strategy");
        await page.WaitInteractiveAsync();

        await page.FillAsync("input[data-testid=ring-timeout]", timeout);
        await page.ClickAsync("[data-testid=strategy-save]");

        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error")).ToHaveTextAsync("От 5 до 300 секунд.");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("не сохранена");
        Assert.Equal(30, (await app.Get<CallStrategyService>().GetAsync(owner)).Value!.Projects.Single().RingTimeoutSeconds);
    }
}
