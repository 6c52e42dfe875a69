using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Projects;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Shell;

namespace LPTracker.Tests.Web.Shell;

public sealed class ProjectSwitcherTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;

    public async Task InitializeAsync() => _core = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task The_main_account_can_switch_create_rename_and_delete_projects()
    {
        var owner = await _core.SignUpAsync();
        await _core.Get<ProjectService>().CreateAsync(owner, "Проект 2");
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(owner);
        var popovers = ctx.RenderPopoverProvider();
        var switcher = ctx.Render<ProjectSwitcher>();
        switcher.WaitForAssertion(() => Assert.Contains("Проект 2", switcher.Markup, StringComparison.Ordinal));

        await switcher.Find("button").ClickAsync(new());

        popovers.WaitForAssertion(() =>
        {
            var items = popovers.FindAll(".mud-menu-item").Select(i => i.TextContent.Trim()).ToList();
            Assert.Contains("Проект 1", items);
            Assert.Contains("Проект 2", items);
            Assert.Contains("Новый проект", items);
            Assert.Contains("Переименовать проект", items);
            Assert.Contains("Удалить проект", items);
        });
    }

    [Fact]
    public async Task An_employee_sees_only_its_projects_and_cannot_create_or_delete()
    {
        var owner = await _core.SignUpAsync();
        await _core.Get<ProjectService>().CreateAsync(owner, "Закрытый");
        var ivan = await _core.AddEmployeeAsync(owner, "ivan", CommonSections.Employees);
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(ivan);
        var popovers = ctx.RenderPopoverProvider();
        var switcher = ctx.Render<ProjectSwitcher>();
        switcher.WaitForAssertion(() => Assert.Contains("Проект 1", switcher.Markup, StringComparison.Ordinal));

        await switcher.Find("button").ClickAsync(new());

        popovers.WaitForAssertion(() =>
        {
            var items = popovers.FindAll(".mud-menu-item").Select(i => i.TextContent.Trim()).ToList();
            Assert.Equal(["Проект 1"], items);
        });
    }

    [Fact]
    public async Task Choosing_a_project_makes_it_current_and_remembers_it()
    {
        var owner = await _core.SignUpAsync();
        var first = Assert.Single(await _core.Get<ProjectService>().ListAsync(owner));
        await _core.Get<ProjectService>().CreateAsync(owner, "Проект 2");
        await using var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(owner);
        var popovers = ctx.RenderPopoverProvider();
        var switcher = ctx.Render<ProjectSwitcher>();
        switcher.WaitForAssertion(() => Assert.Contains("Проект 2", switcher.Find("button").TextContent, StringComparison.Ordinal));
        await switcher.Find("button").ClickAsync(new());

        await popovers.FindAll(".mud-menu-item").First(i => i.TextContent.Trim() == "Проект 1").ClickAsync(new());

        switcher.WaitForAssertion(() => Assert.Contains("Проект 1", switcher.Find("button").TextContent, StringComparison.Ordinal));
        var profile = await _core.Get<LPTracker.Core.Security.AccessService>().GetProfileAsync(owner);
        Assert.Equal(first.Id, profile!.CurrentProject!.Id);
    }
}
