using AngleSharp.Dom;
using Bunit;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using MudBlazor;

namespace LPTracker.Tests.Web.Employees;

public sealed class ListPageTests : IAsyncLifetime
{
    private ListPageContext _ctx = null!;
    private CallerContext _main = null!;
    private int _ivan;
    private int _maria;

    public async Task InitializeAsync()
    {
        _ctx = await ListPageContext.CreateAsync();
        var host = _ctx.Host;
        _main = await host.SignUpAsync();
        var p1 = await host.FirstProjectAsync(_main.AccountId);
        var p2 = await host.AddProjectAsync(_main.AccountId, "Проект 2");
        var now = host.Time.GetUtcNow().UtcDateTime;
        _ivan = await host.AddEmployeeAsync(_main.AccountId, "Иван Петров", new() { [p1] = (true, true) }, sip: true,
            position: "Менеджер по продажам", lastLoginUtc: now.AddHours(-2), login: $"{_main.AccountId}_ivan");
        _maria = await host.AddEmployeeAsync(_main.AccountId, "Мария Смирнова", new() { [p1] = (true, false) }, sip: true,
            login: $"{_main.AccountId}_maria");
        await host.AddEmployeeAsync(_main.AccountId, "Олег Второй", new() { [p2] = (true, true) }, login: $"{_main.AccountId}_oleg");
        host.Presence.Set(_ivan, new SipPresence(SipStatus.Online, now.AddMinutes(-5), "Linphone 5.1", "udp:127.0.0.1:5062"));
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task The_project_view_lists_the_current_projects_employees_and_all_lists_everyone()
    {
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));
        Assert.DoesNotContain("Олег Второй", Names(page));

        await page.Find("[data-testid=scope-all]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Олег Второй", Names(page)));
        Assert.Equal(4, Names(page).Count);
        Assert.NotNull(page.Find("[data-testid=all-status-note]"));
    }

    [Fact]
    public async Task Markup_in_names_and_positions_is_shown_as_text()
    {
        var p1 = await _ctx.Host.FirstProjectAsync(_main.AccountId);
        await _ctx.Host.AddEmployeeAsync(_main.AccountId, "<script>alert(1)</script>", new() { [p1] = (true, true) },
            position: "<b>boss</b>'; DROP TABLE Employees;--", login: $"{_main.AccountId}_xss");
        _ctx.SignIn(_main);

        var (_, _, page) = _ctx.Render();

        page.WaitForAssertion(() => Assert.Contains("<script>alert(1)</script>", Names(page)));
        Assert.Empty(page.FindAll("[data-testid=employee-grid] script"));
        Assert.Empty(page.FindAll("[data-testid=employee-grid] b"));
        Assert.Contains("&lt;b&gt;boss&lt;/b&gt;", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pager_speaks_russian()
    {
        _ctx.SignIn(_main);

        var (_, _, page) = _ctx.Render();

        page.WaitForAssertion(() =>
        {
            Assert.True(page.Markup.Contains("1–3 из 3", StringComparison.Ordinal), page.Find(".mud-table-pagination").TextContent);
            Assert.Contains("Строк на странице", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Columns_show_avatar_sip_chip_login_position_last_login_and_status()
    {
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        var ivan = Row(page, _ivan);
        var maria = Row(page, _maria);

        Assert.Equal("ИП", ivan.QuerySelector("[data-testid=initials]")!.TextContent.Trim());
        Assert.Equal("В сети", ivan.QuerySelector("[data-testid=sip-status]")!.TextContent.Trim());
        Assert.Equal("Отключен", maria.QuerySelector("[data-testid=sip-status]")!.TextContent.Trim());
        Assert.Equal("Не создан", Row(page, _main.EmployeeId).QuerySelector("[data-testid=sip-status]")!.TextContent.Trim());
        Assert.Contains($"{_main.AccountId}_ivan", ivan.TextContent);
        Assert.Contains("Менеджер по продажам", ivan.TextContent);
        Assert.Equal("2 ч назад", ivan.QuerySelector("[data-testid=last-login]")!.TextContent.Trim());
        Assert.Equal("никогда", maria.QuerySelector("[data-testid=last-login]")!.TextContent.Trim());
        Assert.Equal("Работает", ivan.QuerySelector("[data-testid=row-status]")!.TextContent.Trim());
        Assert.Equal("Не работает", maria.QuerySelector("[data-testid=row-status]")!.TextContent.Trim());
        Assert.NotNull(Row(page, _main.EmployeeId).QuerySelector("[data-testid=main-badge]"));
        Assert.Equal("3", page.Find("[data-testid=counter-total-value]").TextContent.Trim());
        Assert.Equal("2", page.Find("[data-testid=counter-working-value]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=counter-online-value]").TextContent.Trim());
        Assert.Equal($"/employees/{_ivan}", ivan.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("/employees/new", page.Find("[data-testid=add-employee]").GetAttribute("href"));
    }

    [Fact]
    public void Search_narrows_the_list_case_insensitively()
    {
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        page.Find("input[data-testid=search]").Input("ИВАН");
        _ctx.Host.Time.Advance(TimeSpan.FromMilliseconds(400)); // the 300 ms debounce runs on the injected clock

        page.WaitForAssertion(() => Assert.Equal(["Иван Петров"], Names(page)));
    }

    [Fact]
    public async Task Delete_asks_for_confirmation_naming_the_employee_and_removes_the_row()
    {
        _ctx.SignIn(_main);
        var (popovers, dialogs, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        OpenMenu(page, _maria);
        popovers.WaitForElement("[data-testid=row-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("«Мария Смирнова»", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Удалить").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain("Мария Смирнова", Names(page)));
        Assert.Null(await _ctx.Host.FindAsync(_main.AccountId, _maria));
    }

    [Fact]
    public async Task Cancelling_the_delete_confirmation_keeps_the_employee()
    {
        _ctx.SignIn(_main);
        var (popovers, dialogs, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        OpenMenu(page, _maria);
        popovers.WaitForElement("[data-testid=row-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("«Мария Смирнова»", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Отмена").Click();

        Assert.NotNull(await _ctx.Host.FindAsync(_main.AccountId, _maria));
        Assert.Contains("Мария Смирнова", Names(page));
    }

    [Fact]
    public async Task For_another_administrator_the_main_accounts_delete_and_switch_are_disabled_with_the_reason()
    {
        var admin = new CallerContext(_main.AccountId, await _ctx.Host.AddEmployeeAsync(_main.AccountId, "Админ Админов",
            new() { [await _ctx.Host.FirstProjectAsync(_main.AccountId)] = (true, false) }, sections: CommonSections.Employees));
        _ctx.SignIn(admin);
        var (popovers, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(4, Names(page).Count));

        OpenMenu(page, _main.EmployeeId);
        var blocked = popovers.WaitForElement("[data-testid=row-delete-blocked]");

        Assert.Equal("Главный аккаунт нельзя удалить.", blocked.GetAttribute("title"));
        Assert.Equal("true", blocked.QuerySelector("[data-testid=row-delete]")!.GetAttribute("aria-disabled"));
        Assert.True(Row(page, _main.EmployeeId).QuerySelector("input[data-testid=row-switch]")!.HasAttribute("disabled"));
        Assert.False(Row(page, _ivan).QuerySelector("input[data-testid=row-switch]")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task An_administrator_cannot_delete_themselves_and_is_told_why()
    {
        var admin = new CallerContext(_main.AccountId, await _ctx.Host.AddEmployeeAsync(_main.AccountId, "Админ Админов",
            new() { [await _ctx.Host.FirstProjectAsync(_main.AccountId)] = (true, false) }, sections: CommonSections.Employees));
        _ctx.SignIn(admin);
        var (popovers, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(4, Names(page).Count));

        OpenMenu(page, admin.EmployeeId);

        Assert.Equal("Нельзя удалить самого себя.", popovers.WaitForElement("[data-testid=row-delete-blocked]").GetAttribute("title"));
    }

    [Fact]
    public async Task The_switch_turns_an_employee_off_and_the_status_becomes_not_working()
    {
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        Row(page, _ivan).QuerySelector("input[data-testid=row-switch]")!.Change(false);

        page.WaitForAssertion(() => Assert.Equal("Не работает", Row(page, _ivan).QuerySelector("[data-testid=row-status]")!.TextContent.Trim()));
        Assert.False((await _ctx.Host.FindAsync(_main.AccountId, _ivan))!.IsEnabled);
        Assert.Equal("1", page.Find("[data-testid=counter-working-value]").TextContent.Trim());
    }

    [Fact]
    public async Task A_change_by_another_administrator_appears_without_reload()
    {
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));
        var other = new CallerContext(_main.AccountId,
            await _ctx.Host.AddEmployeeAsync(_main.AccountId, "Другой Админ", new() { [await _ctx.Host.FirstProjectAsync(_main.AccountId)] = (true, false) },
                sections: CommonSections.Employees));

        await _ctx.List.SetEnabledAsync(other, _ivan, enabled: false);

        page.WaitForAssertion(() => Assert.Equal("Не работает", Row(page, _ivan).QuerySelector("[data-testid=row-status]")!.TextContent.Trim()));
    }

    [Fact]
    public void A_sip_status_change_appears_without_reload()
    {
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        _ctx.Host.Presence.Set(_maria, new SipPresence(SipStatus.Online));
        _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _maria, EmployeeChangeKind.SipStatus));

        page.WaitForAssertion(() => Assert.Equal("В сети", Row(page, _maria).QuerySelector("[data-testid=sip-status]")!.TextContent.Trim()));
        Assert.Equal("2", page.Find("[data-testid=counter-online-value]").TextContent.Trim());
    }

    [Fact]
    public async Task A_live_update_published_from_another_culture_still_renders_in_the_viewers_russian()
    {
        var russian = new System.Globalization.CultureInfo("ru-RU");
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = russian;
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));
        var since = _ctx.Host.Time.GetUtcNow().UtcDateTime.AddMinutes(-1);

        // The notifier's subscribers run on the publisher's thread: the SIP registrar's, in the server's culture.
        await Task.Run(() =>
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture =
                new System.Globalization.CultureInfo("en-US");
            _ctx.Host.Presence.Set(_maria, new SipPresence(SipStatus.Online, since, "Linphone 5.1", "udp:127.0.0.1:5064"));
            _ctx.Notifier.Publish(new EmployeeChange(_main.AccountId, _maria, EmployeeChangeKind.SipStatus));
        });

        page.WaitForAssertion(() => Assert.Equal("В сети", Row(page, _maria).QuerySelector("[data-testid=sip-status]")!.TextContent.Trim()),
            TimeSpan.FromSeconds(5));
        var hint = Row(page, _maria).QuerySelector("[data-testid=sip-tooltip]")!.GetAttribute("title")!;
        Assert.StartsWith("с ", hint, StringComparison.Ordinal);
        Assert.Contains(since.ToString("f", russian), hint, StringComparison.Ordinal);
        Assert.Equal("Работает", Row(page, _ivan).QuerySelector("[data-testid=row-status]")!.TextContent.Trim());
    }

    [Fact]
    public void A_switched_on_employee_who_is_not_working_is_told_why_in_the_row()
    {
        _ctx.SignIn(_main);

        var (_, _, page) = _ctx.Render();

        page.WaitForAssertion(() => Assert.Equal("Не работает", Row(page, _maria).QuerySelector("[data-testid=row-status]")!.TextContent.Trim()));
        Assert.Equal("не принимает звонки в этом проекте", Row(page, _maria).QuerySelector("[data-testid=row-status-reason]")!.TextContent.Trim());
        Assert.Null(Row(page, _ivan).QuerySelector("[data-testid=row-status-reason]"));
    }

    [Fact]
    public void The_grids_own_labels_are_russian()
    {
        _ctx.SignIn(_main);

        var (popovers, _, page) = _ctx.Render();

        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));
        var markup = page.Markup + popovers.Markup;
        Assert.DoesNotContain("column options", markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MudDataGrid_", markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_sees_no_access()
    {
        var plain = new CallerContext(_main.AccountId, await _ctx.Host.AddEmployeeAsync(_main.AccountId, "Без Доступа"));
        _ctx.SignIn(plain);

        var (_, _, page) = _ctx.Render();

        page.WaitForElement("[data-testid=no-access]");
        Assert.Empty(page.FindAll("[data-testid=employee-grid]"));
    }

    [Fact]
    public async Task Closing_the_page_unsubscribes_from_live_changes()
    {
        _ctx.SignIn(_main);
        var (_, _, page) = _ctx.Render();
        page.WaitForAssertion(() => Assert.Equal(1, _ctx.Notifier.SubscriberCount(_main.AccountId)));

        await _ctx.Bunit.DisposeComponentsAsync();

        Assert.Equal(0, _ctx.Notifier.SubscriberCount(_main.AccountId));
    }

    private static List<string> Names(IRenderedComponent<LPTracker.Web.Components.Pages.Employees.EmployeeList> page) =>
        page.FindAll("[data-testid=row-name] a").Select(a => a.TextContent.Trim()).ToList();

    private static IElement Row(IRenderedComponent<LPTracker.Web.Components.Pages.Employees.EmployeeList> page, int id) =>
        page.Find($"[data-testid=row-name][data-id='{id}']").Closest("tr")!;

    private static void OpenMenu(IRenderedComponent<LPTracker.Web.Components.Pages.Employees.EmployeeList> page, int id) =>
        Row(page, id).QuerySelector("[data-testid=row-menu] button")!.Click();
}
