using Bunit;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Employees;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Web.Employees;

/// <summary>The editor page: the blocks it shows, the main account's variant, validation, saving and conflicts.</summary>
public sealed class EditorPageTests : IAsyncLifetime
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
    public async Task An_employees_page_has_all_five_blocks()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan", name: "Иван Петров");
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, ivan.EmployeeId));

        cut.WaitForAssertion(() => Assert.Equal("Иван Петров", cut.Find("[data-testid=editor-title]").TextContent));
        foreach (var block in new[] { "profile", "general", "sip", "access", "permissions" })
        {
            Assert.NotNull(cut.Find($"[data-testid=block-{block}]"));
        }
    }

    [Fact]
    public async Task The_main_accounts_page_sets_only_takes_calls_per_project_and_has_no_permissions_block()
    {
        var second = await _core.AddProjectAsync(_owner, "Проект 2");
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, _owner.EmployeeId));

        cut.WaitForAssertion(() => Assert.Equal("Главный аккаунт", cut.Find("[data-testid=editor-title]").TextContent));
        Assert.Contains("Приём звонков/заявок по проектам", cut.Find("[data-testid=block-access]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=has-access]"));
        Assert.Empty(cut.FindAll("[data-testid^=project-section-]"));
        Assert.Empty(cut.FindAll("[data-testid=block-permissions]"));
        Assert.NotNull(cut.Find("[data-testid=block-sip]"));
        Assert.Contains("его нельзя удалить", cut.Find("[data-testid=main-hint]").TextContent, StringComparison.Ordinal);

        cut.Find($"[data-testid=access-row-{second}] input[data-testid=takes-calls]").Change(true);
        cut.Find("[data-testid=save]").Click();

        await WaitForAsync(async () => (await _core.FindEmployeeAsync(_owner.EmployeeId))!.Memberships.Any(m => m.ProjectId == second && m.TakesCalls));
    }

    [Fact]
    public async Task An_administrator_opening_the_main_accounts_page_is_told_only_the_main_account_may()
    {
        var admin = await _core.AddEmployeeAsync(_owner, "admin", CommonSections.Employees);
        await using var ctx = SignedIn(admin);

        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, _owner.EmployeeId));

        cut.WaitForAssertion(() => Assert.Equal("Главный аккаунт может редактировать только сам главный аккаунт.",
            cut.Find("[data-testid=editor-load-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=block-profile]"));
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_sees_no_access()
    {
        var plain = await _core.AddEmployeeAsync(_owner, "plain");
        await using var ctx = SignedIn(plain);

        var cut = ctx.Render<EmployeeEdit>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-access]")));
    }

    [Fact]
    public async Task A_virtual_number_typed_as_the_phone_is_flagged_at_once()
    {
        await _core.AddNumberAsync(_owner, "+78123893201");
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>();

        cut.WaitForElement("input[data-testid=phone]").Change("8 (812) 389-32-01");

        cut.WaitForAssertion(() => Assert.Contains("Виртуальная АТС → Номера", cut.Find(".mud-input-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saving_an_empty_form_shows_the_errors_and_creates_nothing()
    {
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>();

        cut.WaitForElement("[data-testid=save]").Click();

        cut.WaitForAssertion(() => Assert.True(cut.FindAll(".mud-input-error").Count >= 3));
        Assert.Equal(1, await _core.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task Creating_an_employee_opens_its_page()
    {
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>();
        cut.WaitForElement("input[data-testid=name]").Change("Мария Смирнова");
        cut.Find("input[data-testid=login]").Change("maria");
        cut.Find("input[data-testid=password]").Change("secret123");

        cut.Find("[data-testid=save]").Click();

        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches("/employees/\\d+$", navigation.Uri));
        Assert.Equal(2, await _core.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task A_login_taken_by_someone_else_is_shown_on_the_login_field()
    {
        await _core.AddEmployeeAsync(_owner, "maria");
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>();
        cut.WaitForElement("input[data-testid=name]").Change("Мария");
        cut.Find("input[data-testid=login]").Change("maria");
        cut.Find("input[data-testid=password]").Change("secret123");

        cut.Find("[data-testid=save]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("Такой логин уже занят. Придумайте другой.", cut.Find(".mud-input-error").TextContent.Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_real_conflict_keeps_the_users_input_takes_the_other_changes_and_lists_them_field_by_field()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan", name: "Иван");
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, ivan.EmployeeId));
        cut.WaitForElement("input[data-testid=position]").Change("Мой вариант");
        cut.Find("input[data-testid=phone]").Change("+7 921 555-00-01");
        var editor = _core.Get<EmployeeEditorService>();
        var theirs = (await editor.GetAsync(_owner, ivan.EmployeeId)).Value!.Form;
        theirs.Position = "Их вариант";
        theirs.Name = "Иван Петров";
        await editor.UpdateAsync(_owner, ivan.EmployeeId, theirs);

        cut.Find("[data-testid=save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Ваши изменения не потеряны", cut.Find("[data-testid=editor-conflict]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Мой вариант", cut.Find("input[data-testid=position]").GetAttribute("value"));
        Assert.Equal("+7 921 555-00-01", cut.Find("input[data-testid=phone]").GetAttribute("value"));
        Assert.Equal("Иван Петров", cut.Find("input[data-testid=name]").GetAttribute("value"));
        Assert.Equal("Должность", cut.Find("[data-testid=conflict-overlapping]").TextContent.Trim());
        Assert.Equal("Имя", cut.Find("[data-testid=conflict-taken]").TextContent.Trim());
        Assert.Equal("Их вариант", (await _core.FindEmployeeAsync(ivan.EmployeeId))!.Position);

        cut.Find("[data-testid=save]").Click();

        await WaitForAsync(async () => (await _core.FindEmployeeAsync(ivan.EmployeeId))!.Position == "Мой вариант");
        var saved = (await _core.FindEmployeeAsync(ivan.EmployeeId))!;
        Assert.Equal(("Иван Петров", "+79215550001"), (saved.Name, saved.Phone));
    }

    [Fact]
    public async Task Flipping_the_call_switch_in_the_list_does_not_refuse_an_open_editors_save()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan");
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, ivan.EmployeeId));
        cut.WaitForElement("input[data-testid=position]").Change("Старший менеджер");
        Assert.True((await _core.Get<EmployeeListService>().SetEnabledAsync(_owner, ivan.EmployeeId, enabled: false)).Succeeded);

        cut.Find("[data-testid=save]").Click();

        await WaitForAsync(async () => (await _core.FindEmployeeAsync(ivan.EmployeeId))!.Position == "Старший менеджер");
        Assert.Empty(cut.FindAll("[data-testid=editor-conflict]"));
        Assert.False((await _core.FindEmployeeAsync(ivan.EmployeeId))!.IsEnabled);
    }

    [Fact]
    public async Task After_creating_an_employee_the_page_says_in_which_projects_list_they_show()
    {
        await using var ctx = SignedIn(_owner);
        var snackbars = ctx.Render<MudBlazor.MudSnackbarProvider>();
        var cut = ctx.Render<EmployeeEdit>();
        cut.WaitForElement("input[data-testid=name]").Change("Мария Смирнова");
        cut.Find("input[data-testid=login]").Change("maria");
        cut.Find("input[data-testid=password]").Change("secret123");

        cut.Find("[data-testid=save]").Click();

        snackbars.WaitForAssertion(() => Assert.Contains("В списке «Проект» он виден в проектах: «Проект 1».", snackbars.Markup, StringComparison.Ordinal));
        var maria = (await _core.FindEmployeeAsync(await NewestEmployeeAsync()))!;
        Assert.True(maria.Memberships.Single().HasAccess && maria.Memberships.Single().TakesCalls);
    }

    [Fact]
    public async Task Leaving_the_editor_with_unsaved_changes_asks_first_and_staying_keeps_them()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan");
        await using var ctx = SignedIn(_owner);
        var dialogs = ctx.Render<MudBlazor.MudDialogProvider>();
        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, ivan.EmployeeId));
        cut.WaitForElement("input[data-testid=position]").Change("Не сохранено");
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        var here = navigation.Uri;

        await cut.InvokeAsync(() => navigation.NavigateTo("/employees"));

        dialogs.WaitForAssertion(() => Assert.Contains("Уйти без сохранения?", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Остаться", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Уйти без сохранения?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(here, navigation.Uri);
        Assert.Equal("Не сохранено", cut.Find("input[data-testid=position]").GetAttribute("value"));
        Assert.NotNull(cut.Find("[data-testid=unsaved]"));
    }

    [Fact]
    public async Task A_refused_save_brings_the_first_error_into_view_from_a_bar_that_stays_on_screen()
    {
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>();

        cut.WaitForElement("[data-testid=save]").Click();

        cut.WaitForAssertion(() => ctx.JSInterop.VerifyInvoke("lptracker.scrollToFirstError"));
        Assert.NotNull(cut.Find(".editor-actions [data-testid=save]"));
    }

    [Fact]
    public async Task The_page_speaks_english_for_an_english_ui()
    {
        await using var ctx = new ConsoleBunitContext(_core, "en-US");
        ctx.SignInAs(_owner);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = ctx.Render<EmployeeEdit>();

        cut.WaitForAssertion(() => Assert.Equal("New employee", cut.Find("[data-testid=editor-title]").TextContent));
        Assert.Contains("Employee profile", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Access to sections", cut.Markup, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition did not become true within 10 s.");
            await Task.Delay(50);
        }
    }

    private async Task<int> NewestEmployeeAsync()
    {
        await using var db = _core.OpenSystemContext();
        return await db.Employees.IgnoreQueryFilters().MaxAsync(e => e.Id);
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return ctx;
    }
}
