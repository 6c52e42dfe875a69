using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Tasks;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Tasks;

namespace LPTracker.Tests.Web.Tasks;

public sealed class TaskPageTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    private DateTime Now => _core.Time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task My_tasks_show_the_overdue_one_first_and_flagged()
    {
        var ivan = await _core.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Tasks);
        await AddAsync(ivan, "Позже", Now.AddDays(2));
        await AddAsync(ivan, "Срочно", Now.AddHours(1));
        _core.Time.Advance(TimeSpan.FromHours(2));
        await using var ctx = SignedIn(ivan);

        var cut = ctx.Render<TaskList>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=task-row]").Count));
        var rows = cut.FindAll("[data-testid=task-row]");
        Assert.Equal("Срочно", rows[0].Children[1].TextContent);
        Assert.Contains("mud-error-text", rows[0].Children[2].ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-error-text", rows[1].Children[2].ClassName ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_tasks_section_the_page_shows_no_access()
    {
        var leads = await _core.AddCrmEmployeeAsync(_owner, "leads", ProjectSections.Leads);
        await AddAsync(_owner, "Чужая задача", Now.AddDays(1));
        await using var ctx = SignedIn(leads);

        var cut = ctx.Render<TaskList>();

        cut.WaitForElement("[data-testid=no-access]");
        Assert.DoesNotContain("Чужая задача", cut.Markup, StringComparison.Ordinal);
    }

    private async Task AddAsync(CallerContext caller, string title, DateTime due)
    {
        var result = await _core.Get<SaveTask>().SaveAsync(caller, new TaskForm
        {
            ProjectId = await _core.FirstProjectAsync(caller), Title = title, DueUtc = due, AssigneeId = caller.EmployeeId,
        });
        Assert.True(result.Succeeded, result.Summary);
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        ctx.Render<MudBlazor.MudPopoverProvider>();
        return ctx;
    }
}
