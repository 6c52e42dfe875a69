using Bunit;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Employees;
using Microsoft.AspNetCore.Components;
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
    public async Task The_main_accounts_page_has_no_access_or_permissions_block()
    {
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, _owner.EmployeeId));

        cut.WaitForAssertion(() => Assert.Equal("Главный аккаунт", cut.Find("[data-testid=editor-title]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=block-access]"));
        Assert.Empty(cut.FindAll("[data-testid=block-permissions]"));
        Assert.NotNull(cut.Find("[data-testid=block-sip]"));
        Assert.Contains("его нельзя удалить", cut.Find("[data-testid=main-hint]").TextContent, StringComparison.Ordinal);
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
    public async Task A_save_overtaken_by_another_administrator_shows_the_current_values()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan");
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<EmployeeEdit>(p => p.Add(x => x.Id, ivan.EmployeeId));
        cut.WaitForElement("input[data-testid=position]").Change("Мой вариант");
        var editor = _core.Get<EmployeeEditorService>();
        var theirs = (await editor.GetAsync(_owner, ivan.EmployeeId)).Value!.Form;
        theirs.Position = "Их вариант";
        await editor.UpdateAsync(_owner, ivan.EmployeeId, theirs);

        cut.Find("[data-testid=save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("изменил кто-то другой", cut.Find("[data-testid=editor-conflict]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Их вариант", cut.Find("input[data-testid=position]").GetAttribute("value"));
        Assert.Equal("Их вариант", (await _core.FindEmployeeAsync(ivan.EmployeeId))!.Position);
    }

    [Fact]
    public async Task The_page_speaks_english_for_an_english_ui()
    {
        await using var ctx = new ConsoleBunitContext(_core, "en-US");
        ctx.SignInAs(_owner);

        var cut = ctx.Render<EmployeeEdit>();

        cut.WaitForAssertion(() => Assert.Equal("New employee", cut.Find("[data-testid=editor-title]").TextContent));
        Assert.Contains("Employee profile", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Access to sections", cut.Markup, StringComparison.Ordinal);
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        return ctx;
    }
}
