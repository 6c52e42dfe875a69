using AngleSharp.Dom;
using Bunit;
using LPTracker.Core.Live;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Employees;

namespace LPTracker.Tests.Web.Employees;

/// <summary>
/// The open list follows SIP presence in place: a phone going on- or offline changes its row's chip and the Online
/// counter from presence in memory, with no database command; a change the page neither shows nor counts does nothing.
/// </summary>
public sealed class ListLivePresenceTests : IAsyncLifetime
{
    private ListPageContext _ctx = null!;
    private CallerContext _main = null!;
    private int _ivan;
    private int _maria;
    private int _elsewhere;
    private int _lastOnPage2;
    private DateTime _now;

    public async Task InitializeAsync()
    {
        _ctx = await ListPageContext.CreateAsync();
        var host = _ctx.Host;
        _main = await host.SignUpAsync();
        var p1 = await host.FirstProjectAsync(_main.AccountId);
        var p2 = await host.AddProjectAsync(_main.AccountId, "Проект 2");
        _now = host.Time.GetUtcNow().UtcDateTime;
        _ivan = await host.AddEmployeeAsync(_main.AccountId, "Иван Петров", new() { [p1] = (true, true) }, sip: true);
        _maria = await host.AddEmployeeAsync(_main.AccountId, "Мария Смирнова", new() { [p1] = (true, false) }, sip: true);
        _elsewhere = await host.AddEmployeeAsync(_main.AccountId, "Олег Второй", new() { [p2] = (true, true) }, sip: true);

        // Enough employees after them (by name) to fill a second page of 25.
        for (var i = 0; i < 25; i++)
        {
            _lastOnPage2 = await host.AddEmployeeAsync(_main.AccountId, $"Яковлев {i:D2}", new() { [p1] = (true, true) }, sip: true);
        }

        host.Presence.Set(_ivan, new SipPresence(SipStatus.Online, _now.AddMinutes(-5), "Linphone 5.1", "udp:127.0.0.1:5062"));
        _ctx.SignIn(_main);
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task A_phone_of_a_visible_row_going_online_changes_its_chip_hint_and_counter_without_a_query()
    {
        var page = await OpenAsync();

        _ctx.Host.Presence.Set(_maria, new SipPresence(SipStatus.Online, _now.AddMinutes(-1), "Yealink T46U", "udp:10.0.0.7:5060"));
        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _maria, EmployeeChangeKind.SipStatus));

        page.WaitForAssertion(() => Assert.Equal("В сети", Chip(page, _maria)));
        Assert.Contains("Yealink T46U", Row(page, _maria).QuerySelector("[data-testid=sip-tooltip]")!.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal("2", OnlineCounter(page));
        Assert.Equal(0, _ctx.Host.Commands.Count);
    }

    [Fact]
    public async Task A_phone_of_a_counted_employee_off_the_page_moves_only_the_online_counter_without_a_query()
    {
        var page = await OpenAsync();
        var rowsBefore = page.FindAll("[data-testid=row-name]").Count;

        _ctx.Host.Presence.Set(_lastOnPage2, new SipPresence(SipStatus.Online));
        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _lastOnPage2, EmployeeChangeKind.SipStatus));

        page.WaitForAssertion(() => Assert.Equal("2", OnlineCounter(page)));
        Assert.Equal(rowsBefore, page.FindAll("[data-testid=row-name]").Count);
        Assert.Equal(0, _ctx.Host.Commands.Count);

        _ctx.Host.Presence.Set(_ivan, new SipPresence(SipStatus.Disconnected, _now));
        _ctx.Host.Time.Advance(TimeSpan.FromSeconds(1));
        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _ivan, EmployeeChangeKind.SipStatus));

        page.WaitForAssertion(() => Assert.Equal("1", OnlineCounter(page)));
        Assert.NotEqual("В сети", Chip(page, _ivan));
        Assert.Equal(0, _ctx.Host.Commands.Count);
    }

    [Fact]
    public async Task A_phone_the_page_neither_shows_nor_counts_changes_nothing_and_reads_nothing()
    {
        var page = await OpenAsync();
        var markup = page.Markup;

        _ctx.Host.Presence.Set(_elsewhere, new SipPresence(SipStatus.Online));
        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _elsewhere, EmployeeChangeKind.SipStatus));
        _ctx.Host.Presence.Set(_maria, new SipPresence(SipStatus.Online));
        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _maria, EmployeeChangeKind.SipStatus));

        // Maria's change was published after Oleg's: once it shows, his was handled (and dropped).
        page.WaitForAssertion(() => Assert.Equal("В сети", Chip(page, _maria)));
        Assert.Equal("2", OnlineCounter(page));
        Assert.Equal(0, _ctx.Host.Commands.Count);
        Assert.NotEqual(markup, page.Markup);
    }

    [Fact]
    public async Task A_sip_change_of_a_row_without_a_sip_account_reads_the_page_again()
    {
        var noSip = await _ctx.Host.AddEmployeeAsync(_main.AccountId, "Анна Без Телефона", new() { [await _ctx.Host.FirstProjectAsync(_main.AccountId)] = (true, true) });
        var page = await OpenAsync();
        Assert.Equal("Не создан", Chip(page, noSip));

        // The editor publishes a SIP change on saving call settings, whether or not the employee has an account.
        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, noSip, EmployeeChangeKind.SipStatus));

        await Eventually.TrueAsync(() => Task.FromResult(_ctx.Host.Commands.Count > 0), "the page read again");
        page.WaitForAssertion(() => Assert.Equal("Не создан", Chip(page, noSip)));
    }

    [Fact]
    public async Task A_rename_still_reloads_the_page()
    {
        var page = await OpenAsync();
        await using (var db = await _ctx.Host.DbAsync(_main.AccountId))
        {
            var maria = await db.Employees.FindAsync(_maria);
            maria!.Name = "Алла Смирнова";
            maria.RefreshSearchText();
            await db.SaveChangesAsync();
        }

        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _maria, EmployeeChangeKind.Updated));

        page.WaitForAssertion(() => Assert.Equal("Алла Смирнова", Row(page, _maria).QuerySelector("[data-testid=row-name] a")!.TextContent.Trim()),
            TimeSpan.FromSeconds(5));
        Assert.True(_ctx.Host.Commands.Count > 0);
    }

    /// <summary>Opens the list, waits until its first page and counters are read, then counts commands from zero.</summary>
    private async Task<IRenderedComponent<EmployeeList>> OpenAsync()
    {
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=row-name]").Count), TimeSpan.FromSeconds(10));
        page.WaitForAssertion(() => Assert.Equal("1", OnlineCounter(page)));

        // Whatever the first render still reads (the shell, a second grid load) ends before the count starts.
        var last = -1;
        while (_ctx.Host.Commands.Count != last)
        {
            last = _ctx.Host.Commands.Count;
            await Task.Delay(300);
        }

        _ctx.Host.Commands.Reset();
        return page;
    }

    private static string OnlineCounter(IRenderedComponent<EmployeeList> page) =>
        page.Find("[data-testid=counter-online-value]").TextContent.Trim();

    private static string Chip(IRenderedComponent<EmployeeList> page, int id) =>
        Row(page, id).QuerySelector("[data-testid=sip-status]")!.TextContent.Trim();

    private static IElement Row(IRenderedComponent<EmployeeList> page, int id) =>
        page.Find($"[data-testid=row-name][data-id='{id}']").Closest("tr")!;
}
