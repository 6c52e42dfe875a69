using System.Globalization;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Tasks;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Tasks;

public sealed class TaskRuleTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public TaskRuleTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    private async Task<int> AddAsync(CallerContext caller, string title, DateTime due, int? assignee = null)
    {
        var result = await _host.Get<SaveTask>().SaveAsync(caller, new TaskForm
        {
            ProjectId = await _host.FirstProjectAsync(caller), Title = title, DueUtc = due, AssigneeId = assignee,
        });
        Assert.True(result.Succeeded, result.Summary);
        return result.Value;
    }

    [Fact]
    public async Task My_tasks_list_overdue_ones_first_and_hide_completed_ones()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Tasks);
        await AddAsync(ivan, "Завтра", Now.AddDays(1));
        await AddAsync(ivan, "Просрочена", Now.AddHours(-2));
        var done = await AddAsync(ivan, "Сделана", Now.AddHours(-5));
        var form = (await _host.Get<TaskQueries>().ListAsync(ivan, new TaskListQuery())).Value!.Rows.Single(r => r.Id == done).ToForm(await _host.FirstProjectAsync(ivan));
        form.IsDone = true;
        form.Result = "Договорились";
        Assert.True((await _host.Get<SaveTask>().SaveAsync(ivan, form)).Succeeded);

        var rows = (await _host.Get<TaskQueries>().ListAsync(ivan, new TaskListQuery())).Value!.Rows;

        Assert.Equal([("Просрочена", true), ("Завтра", false)], rows.Select(r => (r.Title, r.IsOverdue)));
    }

    [Fact]
    public async Task Giving_a_task_to_someone_else_needs_transfer()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Tasks);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", ProjectSections.Tasks);

        var result = await _host.Get<SaveTask>().SaveAsync(ivan, new TaskForm
        {
            ProjectId = await _host.FirstProjectAsync(ivan), Title = "Петру", DueUtc = Now.AddDays(1), AssigneeId = petr.EmployeeId,
        });

        Assert.Equal("Нет права передавать задачи другим сотрудникам.", result.ErrorFor(nameof(TaskForm.AssigneeId)));
    }

    [Fact]
    public async Task Without_see_others_another_employees_tasks_are_hidden()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Tasks);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", ProjectSections.Tasks);
        await AddAsync(petr, "Задача Петра", Now.AddDays(1));

        var all = (await _host.Get<TaskQueries>().ListAsync(ivan, new TaskListQuery(MineOnly: false))).Value!;

        Assert.Empty(all.Rows);
    }

    [Fact]
    public async Task Without_the_tasks_section_the_list_is_refused()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Leads, EmployeePermissions.All);

        var result = await _host.Get<TaskQueries>().ListAsync(ivan, new TaskListQuery());

        Assert.Equal("Недостаточно прав для этого действия.", result.Summary);
    }
}
