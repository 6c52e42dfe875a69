using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Core.Employees;

/// <summary>The list's query on SQLite; <see cref="ListServiceQueryOnPostgresTests"/> runs the same facts on PostgreSQL.</summary>
public class ListServiceQueryTests : IAsyncLifetime
{
    private ListTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ListTestHost.CreateAsync(OnPostgres);

    protected virtual bool OnPostgres => false;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Project_view_lists_employees_with_access_to_the_current_project_and_all_lists_everyone()
    {
        var main = await _host.SignUpAsync();
        var p1 = await _host.FirstProjectAsync(main.AccountId);
        var p2 = await _host.AddProjectAsync(main.AccountId, "Второй");
        await _host.AddEmployeeAsync(main.AccountId, "В первом", new() { [p1] = (true, true) });
        await _host.AddEmployeeAsync(main.AccountId, "Без доступа", new() { [p1] = (false, true) });
        await _host.AddEmployeeAsync(main.AccountId, "Во втором", new() { [p2] = (true, true) });

        var project = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.Project));
        var all = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All));

        Assert.Equal([main.EmployeeId, "В первом"], project.Rows.Select(r => r.IsMain ? (object)r.Id : r.Name).ToArray());
        Assert.Equal(2, project.TotalCount);
        Assert.Equal(4, all.TotalCount);
        Assert.Equal(p1, project.Project!.Id);
    }

    [Fact]
    public async Task The_demo_main_account_is_working_in_project_1_and_not_working_in_project_2()
    {
        await _host.Services.GetRequiredService<DemoSeeder>().SeedAsync();
        var main = await DemoMainAsync();
        var p2 = await ProjectIdAsync(main.AccountId, "Проект 2");

        var inProject1 = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All));
        await SetCurrentProjectAsync(main, p2);
        var inProject2 = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All));

        Assert.Equal(WorkStatus.Working, inProject1.Rows.Single(r => r.IsMain).Status);
        Assert.Equal(WorkStatus.NotWorking, inProject2.Rows.Single(r => r.IsMain).Status);
        Assert.True(inProject2.Rows.Single(r => r.IsMain).IsEnabled);
        Assert.Equal("Проект 2", inProject2.Project!.Name);
    }

    [Fact]
    public async Task Counters_count_the_current_projects_employees_working_and_online()
    {
        var main = await _host.SignUpAsync();
        var p1 = await _host.FirstProjectAsync(main.AccountId);
        var p2 = await _host.AddProjectAsync(main.AccountId, "Второй");
        var online = await _host.AddEmployeeAsync(main.AccountId, "Онлайн", new() { [p1] = (true, true) }, sip: true);
        await _host.AddEmployeeAsync(main.AccountId, "Выключен", new() { [p1] = (true, true) }, enabled: false, sip: true);
        var elsewhere = await _host.AddEmployeeAsync(main.AccountId, "Другой проект", new() { [p2] = (true, true) }, sip: true);
        _host.Presence.Set(online, new SipPresence(SipStatus.Online));
        _host.Presence.Set(elsewhere, new SipPresence(SipStatus.Online));

        var page = await LoadAsync(main, new EmployeeListQuery());

        Assert.Equal(new EmployeeListCounters(Total: 3, Working: 2, Online: 1), page.Counters);
    }

    [Fact]
    public async Task Sip_status_is_not_created_without_an_account_and_comes_from_presence_otherwise()
    {
        var main = await _host.SignUpAsync();
        var p1 = await _host.FirstProjectAsync(main.AccountId);
        var online = await _host.AddEmployeeAsync(main.AccountId, "Онлайн", new() { [p1] = (true, true) }, sip: true);
        var offline = await _host.AddEmployeeAsync(main.AccountId, "Офлайн", new() { [p1] = (true, true) }, sip: true);
        var none = await _host.AddEmployeeAsync(main.AccountId, "Без SIP", new() { [p1] = (true, true) });
        var since = new DateTime(2026, 11, 28, 11, 0, 0, DateTimeKind.Utc);
        _host.Presence.Set(online, new SipPresence(SipStatus.Online, since, "Linphone", "udp:127.0.0.1:5062"));
        _host.Presence.Set(none, new SipPresence(SipStatus.Online));

        var rows = (await LoadAsync(main, new EmployeeListQuery())).Rows.ToDictionary(r => r.Id);

        Assert.Equal(new SipPresence(SipStatus.Online, since, "Linphone", "udp:127.0.0.1:5062"), rows[online].Sip);
        Assert.Equal(SipStatus.Disconnected, rows[offline].Sip.Status);
        Assert.Equal(SipStatus.NotCreated, rows[none].Sip.Status);
    }

    [Theory]
    [InlineData("иванов")]
    [InlineData("ИВАНОВ")]
    [InlineData("ИвАнОв")]
    [InlineData("ivan@")]
    [InlineData("19079_IVA")]
    [InlineData("8 921 555-00-01")]
    public async Task Search_finds_by_name_login_email_or_phone_ignoring_case_in_russian_too(string term)
    {
        var main = await _host.SignUpAsync();
        var p1 = await _host.FirstProjectAsync(main.AccountId);
        await _host.AddEmployeeAsync(main.AccountId, "Иванов Иван", new() { [p1] = (true, true) },
            phone: "+79215550001", email: "ivan@example.ru", login: $"19079_ivan{main.AccountId}");
        await _host.AddEmployeeAsync(main.AccountId, "Петров Пётр", new() { [p1] = (true, true) }, phone: "+79215550002");

        var page = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All, Search: term));

        Assert.Equal("Иванов Иван", Assert.Single(page.Rows).Name);
        Assert.Equal(1, page.TotalCount);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("[")]
    [InlineData("%_[")]
    public async Task Wildcard_characters_are_searched_literally(string term)
    {
        var main = await _host.SignUpAsync();
        await _host.AddEmployeeAsync(main.AccountId, "Код %_[ особый", login: $"special{main.AccountId}");
        await _host.AddEmployeeAsync(main.AccountId, "Обычный сотрудник", login: $"plain{main.AccountId}");

        var page = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All, Search: term));

        Assert.Equal("Код %_[ особый", Assert.Single(page.Rows).Name);
    }

    [Fact]
    public async Task A_search_of_ten_thousand_characters_is_refused_with_a_clear_message()
    {
        var main = await _host.SignUpAsync();

        var result = await _host.List.LoadAsync(main, new EmployeeListQuery(Search: new string('я', 10_000)));

        Assert.False(result.Succeeded);
        Assert.Equal(_host.L["EmployeeList.Error.SearchTooLong", LPTracker.Core.Limits.SearchTerm].Value, result.ErrorFor("Search"));
    }

    [Theory]
    [InlineData(EmployeeListSort.Name, false, new[] { "Анна", "Борис", "вера", "Главный" })]
    [InlineData(EmployeeListSort.Name, true, new[] { "Главный", "вера", "Борис", "Анна" })]
    [InlineData(EmployeeListSort.Login, false, new[] { "вера", "Борис", "Анна", "Главный" })]
    [InlineData(EmployeeListSort.Position, false, new[] { "Главный", "Борис", "Анна", "вера" })]
    // The main account signed in at sign-up, "now": the most recent login.
    [InlineData(EmployeeListSort.LastLogin, true, new[] { "Главный", "Анна", "вера", "Борис" })]
    [InlineData(EmployeeListSort.LastLogin, false, new[] { "Борис", "вера", "Анна", "Главный" })]
    public async Task Sorting_orders_by_the_chosen_column(EmployeeListSort sort, bool descending, string[] expected)
    {
        var main = await _host.SignUpAsync();
        await RenameMainAsync(main, "Главный");
        var now = _host.Time.GetUtcNow().UtcDateTime;
        await _host.AddEmployeeAsync(main.AccountId, "Борис", position: "B-менеджер", lastLoginUtc: now.AddDays(-3), login: $"{main.AccountId}_b");
        await _host.AddEmployeeAsync(main.AccountId, "Анна", position: "C-оператор", lastLoginUtc: now.AddHours(-1), login: $"{main.AccountId}_c");
        await _host.AddEmployeeAsync(main.AccountId, "вера", position: "D-стажёр", lastLoginUtc: now.AddDays(-2), login: $"{main.AccountId}_a");

        var page = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All, SortBy: sort, Descending: descending));

        Assert.Equal(expected, page.Rows.Select(r => r.Name).ToArray());
    }

    [Fact]
    public async Task Paging_returns_one_page_and_the_total_count()
    {
        var main = await _host.SignUpAsync();
        await RenameMainAsync(main, "Я главный");
        for (var i = 0; i < 7; i++)
        {
            await _host.AddEmployeeAsync(main.AccountId, $"Сотрудник {i}");
        }

        var second = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All, Page: 1, PageSize: 3));
        var beyond = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All, Page: 9, PageSize: 3));
        var huge = await LoadAsync(main, new EmployeeListQuery(EmployeeListScope.All, PageSize: 1_000_000));

        Assert.Equal(["Сотрудник 3", "Сотрудник 4", "Сотрудник 5"], second.Rows.Select(r => r.Name));
        Assert.Equal(8, second.TotalCount);
        Assert.Empty(beyond.Rows);
        Assert.Equal(8, huge.Rows.Count);
    }

    [Fact]
    public async Task Another_accounts_employees_never_appear()
    {
        var mine = await _host.SignUpAsync();
        var theirs = await _host.SignUpAsync();
        await _host.AddEmployeeAsync(theirs.AccountId, "Чужой Иванов");

        var page = await LoadAsync(mine, new EmployeeListQuery(EmployeeListScope.All, Search: "иванов"));
        var all = await LoadAsync(mine, new EmployeeListQuery(EmployeeListScope.All));

        Assert.Empty(page.Rows);
        Assert.Equal(1, all.TotalCount);
    }

    [Fact]
    public async Task A_caller_without_the_employees_section_is_denied()
    {
        var main = await _host.SignUpAsync();
        var p1 = await _host.FirstProjectAsync(main.AccountId);
        var plain = await _host.AddEmployeeAsync(main.AccountId, "Без раздела", new() { [p1] = (true, true) });

        var result = await _host.List.LoadAsync(new CallerContext(main.AccountId, plain), new EmployeeListQuery());

        Assert.False(result.Succeeded);
        Assert.Equal(_host.L["Access.Denied"].Value, result.Summary);
    }

    [Fact]
    public async Task A_caller_from_another_account_cannot_read_by_claiming_an_employee_id()
    {
        var mine = await _host.SignUpAsync();
        var theirs = await _host.SignUpAsync();

        var result = await _host.List.LoadAsync(new CallerContext(mine.AccountId, theirs.EmployeeId), new EmployeeListQuery());

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task A_page_whose_project_was_deleted_is_told_and_shown_the_new_current_project()
    {
        var main = await _host.SignUpAsync();
        var p2 = await _host.AddProjectAsync(main.AccountId, "Удаляемый");
        await SetCurrentProjectAsync(main, p2);
        Assert.True((await _host.Services.GetRequiredService<ProjectService>().DeleteAsync(main, p2)).Succeeded);

        var page = await LoadAsync(main, new EmployeeListQuery(ExpectedProjectId: p2));

        Assert.True(page.ProjectChanged);
        Assert.Equal(await _host.FirstProjectAsync(main.AccountId), page.Project!.Id);
    }

    [Fact]
    public async Task Rows_say_why_the_main_account_and_the_caller_cannot_be_deleted()
    {
        var main = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(main.AccountId, "Админ", sections: CommonSections.Employees);
        var other = await _host.AddEmployeeAsync(main.AccountId, "Другой");

        var rows = (await LoadAsync(new CallerContext(main.AccountId, admin), new EmployeeListQuery(EmployeeListScope.All)))
            .Rows.ToDictionary(r => r.Id);

        Assert.Equal(_host.L["EmployeeList.Blocked.DeleteMain"].Value, rows[main.EmployeeId].DeleteBlockedReason);
        Assert.Equal(_host.L["EmployeeList.Blocked.ToggleMain"].Value, rows[main.EmployeeId].ToggleBlockedReason);
        Assert.Equal(_host.L["EmployeeList.Blocked.DeleteSelf"].Value, rows[admin].DeleteBlockedReason);
        Assert.Null(rows[other].DeleteBlockedReason);
        Assert.Null(rows[other].ToggleBlockedReason);
    }

    private async Task<EmployeeListPage> LoadAsync(CallerContext caller, EmployeeListQuery query)
    {
        var result = await _host.List.LoadAsync(caller, query);
        Assert.True(result.Succeeded, result.Summary);
        return result.Value!;
    }

    // Set in the database: ProjectService.SetCurrentAsync does not translate on SQLite yet (reported to the lead).
    private async Task SetCurrentProjectAsync(CallerContext caller, int projectId)
    {
        await using var db = await _host.DbAsync(caller.AccountId);
        await db.Employees.Where(e => e.Id == caller.EmployeeId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.CurrentProjectId, projectId));
    }

    private async Task RenameMainAsync(CallerContext main, string name)
    {
        await using var db = await _host.DbAsync(main.AccountId);
        var e = await db.Employees.SingleAsync(x => x.Id == main.EmployeeId);
        e.Name = name;
        e.Position = "A-директор";
        e.RefreshSearchText();
        await db.SaveChangesAsync();
    }

    private async Task<CallerContext> DemoMainAsync()
    {
        await using var db = await _host.Services
            .GetRequiredService<IDbContextFactory<LPTracker.Core.Persistence.LptrackerDbContext>>().CreateDbContextAsync();
        var e = await db.Employees.IgnoreQueryFilters().SingleAsync(x => x.Login == DemoSeeder.MainEmail);
        return new CallerContext(e.AccountId, e.Id);
    }

    private async Task<int> ProjectIdAsync(int accountId, string name)
    {
        await using var db = await _host.DbAsync(accountId);
        return await db.Projects.Where(p => p.Name == name).Select(p => p.Id).SingleAsync();
    }
}

/// <summary>The employee list's query (filters, sort, search, paging) on a real PostgreSQL.</summary>
public sealed class ListServiceQueryOnPostgresTests : ListServiceQueryTests
{
    protected override bool OnPostgres => true;
}
