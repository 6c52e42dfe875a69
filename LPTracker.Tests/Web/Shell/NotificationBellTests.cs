using Bunit;
using LPTracker.Core.Notifications;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Shell;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Web.Shell;

/// <summary>The bell's "phones went offline" summary (decision 0081): its text, its running total, where it leads.</summary>
public sealed class NotificationBellTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;

    public async Task InitializeAsync() => _core = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Theory]
    [InlineData("ru-RU", "В рабочее время отключились телефоны: 200, среди них Анна, Борис, Вера")]
    [InlineData("en-US", "Phones went offline during working hours: 200, among them Анна, Борис, Вера")]
    public async Task A_summary_reads_as_the_number_of_phones_and_a_few_names(string culture, string text)
    {
        var owner = await _core.SignUpAsync();
        await RaiseSummaryAsync(owner.AccountId, 200);
        await using var ctx = BellContext(owner, culture);
        var popovers = ctx.RenderPopoverProvider();
        var bell = ctx.Render<NotificationBell>();

        await OpenAsync(bell);

        popovers.WaitForAssertion(() =>
        {
            var item = popovers.Find("[data-testid=bell-item]");
            Assert.Equal(NotificationKinds.PhonesOffline, item.GetAttribute("data-kind"));
            Assert.Equal(text, item.QuerySelector("[data-testid=bell-text]")!.TextContent.Trim());
        });
    }

    [Fact]
    public async Task A_summary_raised_again_while_unread_shows_the_running_total_not_a_repeat_count()
    {
        var owner = await _core.SignUpAsync();
        await RaiseSummaryAsync(owner.AccountId, 200);
        await RaiseSummaryAsync(owner.AccountId, 50);
        await using var ctx = BellContext(owner, "ru-RU");
        var popovers = ctx.RenderPopoverProvider();
        var bell = ctx.Render<NotificationBell>();

        await OpenAsync(bell);

        popovers.WaitForAssertion(() =>
        {
            var item = popovers.Find("[data-testid=bell-item]");
            Assert.StartsWith("В рабочее время отключились телефоны: 250,", item.QuerySelector("[data-testid=bell-text]")!.TextContent.Trim(),
                StringComparison.Ordinal);
            Assert.DoesNotContain("×", item.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Clicking_a_summary_marks_it_read_and_opens_the_employees_list()
    {
        var owner = await _core.SignUpAsync();
        await RaiseSummaryAsync(owner.AccountId, 12);
        await using var ctx = BellContext(owner, "ru-RU");
        var popovers = ctx.RenderPopoverProvider();
        var bell = ctx.Render<NotificationBell>();
        await OpenAsync(bell);

        await popovers.WaitForElement("[data-testid=bell-item]").ClickAsync(new());

        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        bell.WaitForAssertion(() => Assert.EndsWith("/employees", nav.Uri, StringComparison.Ordinal));
        Assert.Equal(0, (await _core.Get<NotificationFeed>().GetAsync(owner)).Unread);
    }

    private ConsoleBunitContext BellContext(LPTracker.Core.Security.CallerContext owner, string culture)
    {
        var ctx = new ConsoleBunitContext(_core, culture);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        ctx.SignInAs(owner);
        return ctx;
    }

    private static async Task OpenAsync(IRenderedComponent<NotificationBell> bell)
    {
        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("[data-testid=bell-badge]").GetAttribute("data-unread")));
        await bell.Find("[data-testid=bell-button]").ClickAsync(new());
    }

    private Task RaiseSummaryAsync(int accountId, int count) =>
        _core.Get<IAdminNotifications>().RaiseAllAsync(accountId,
        [
            new NotificationRaise(NotificationKinds.PhonesOffline, OfflineDigest.SummarySubject,
                [count.ToString(System.Globalization.CultureInfo.InvariantCulture), "Анна, Борис, Вера"], Tally: count),
        ]);
}
