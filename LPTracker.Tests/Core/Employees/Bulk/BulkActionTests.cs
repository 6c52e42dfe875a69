using System.Globalization;
using LPTracker.Core.Audit;
using LPTracker.Core.Employees;
using LPTracker.Core.Employees.Bulk;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Accounts;
using LPTracker.Tests.Core.Audit;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Employees.Bulk;

/// <summary>
/// Issue 12, item 5: a bulk action runs every row through the one-by-one handlers. olga (Employees section) selects a
/// colleague she outranks, a superior, the main account and herself; only the colleague is changed, each other row
/// is refused with its own reason, and every changed row leaves its audit record.
/// </summary>
public sealed class BulkActionTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private CallerContext _olga = null!;
    private CallerContext _boss = null!;
    private CallerContext _ivan = null!;

    public BulkActionTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
        _olga = await _host.AddEmployeeAsync(_owner, "olga", CommonSections.Employees, name: "Ольга");
        await _host.SetRightsAsync(_olga, CommonSections.Employees, EmployeePermissions.DeleteData);
        _boss = await _host.AddEmployeeAsync(_owner, "boss", name: "Начальник");
        await _host.SetRightsAsync(_boss, CommonSections.All, EmployeePermissions.All);
        _ivan = await _host.AddEmployeeAsync(_owner, "ivan", name: "Иван");
        await _host.SetEmailAsync(_ivan, "ivan@example.com");
        await _host.SetEmailAsync(_boss, "boss@example.com");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private BulkEmployeeActions Bulk => _host.Get<BulkEmployeeActions>();

    public static TheoryData<BulkAction> EveryAction => new()
    {
        BulkAction.SwitchOff, BulkAction.RevokeAccess, BulkAction.StopTakingCalls, BulkAction.SendInvitation, BulkAction.Delete,
    };

    [Theory]
    [MemberData(nameof(EveryAction))]
    public async Task Each_row_is_refused_or_done_by_the_same_rules_as_one_by_one(BulkAction action)
    {
        var selection = new EmployeeSelection([_boss.EmployeeId, _owner.EmployeeId, _olga.EmployeeId, _ivan.EmployeeId]);
        var audited = (await _host.AuditAsync(_owner.AccountId)).Count;

        var result = await Bulk.RunAsync(_olga, new BulkRequest(action, selection, await FirstProjectAsync(), "http://console.test"));

        Assert.True(result.Succeeded, result.Summary);
        var rows = result.Value!.Rows.ToDictionary(r => r.EmployeeId);
        Assert.Equal(BulkOutcome.Done, rows[_ivan.EmployeeId].Outcome);
        Assert.Equal(BulkOutcome.Refused, rows[_boss.EmployeeId].Outcome);
        Assert.StartsWith("У сотрудника «Начальник» есть права, которых нет у вас", rows[_boss.EmployeeId].Reason, StringComparison.Ordinal);
        Assert.Equal("Групповые действия не применяются к главному аккаунту.", rows[_owner.EmployeeId].Reason);
        Assert.Equal("Групповые действия не применяются к вам самим.", rows[_olga.EmployeeId].Reason);
        await AssertUntouchedAsync(audited, _boss, _owner, _olga);
    }

    [Fact]
    public async Task Without_the_employees_section_nothing_is_done()
    {
        await _host.SetRightsAsync(_olga, CommonSections.None, EmployeePermissions.DeleteData);

        var result = await Bulk.RunAsync(_olga, new BulkRequest(BulkAction.SwitchOff, new EmployeeSelection([_ivan.EmployeeId])));

        Assert.False(result.Succeeded);
        Assert.True((await _host.FindEmployeeAsync(_ivan.EmployeeId))!.IsEnabled);
    }

    [Fact]
    public async Task Delete_without_the_delete_permission_is_refused_as_a_whole()
    {
        await _host.SetRightsAsync(_olga, CommonSections.Employees);

        var result = await Bulk.RunAsync(_olga, new BulkRequest(BulkAction.Delete, new EmployeeSelection([_ivan.EmployeeId])));

        Assert.Equal("Для удаления сотрудников нужно право «Удаление данных».", result.Summary);
        Assert.NotNull(await _host.FindEmployeeAsync(_ivan.EmployeeId));
    }

    [Fact]
    public async Task Another_accounts_employee_is_reported_missing_and_left_alone()
    {
        var other = await _host.SignUpAsync();
        var stranger = await _host.AddEmployeeAsync(other, "stranger");

        var result = await Bulk.RunAsync(_owner, new BulkRequest(BulkAction.SwitchOff, new EmployeeSelection([stranger.EmployeeId])));

        var row = Assert.Single(result.Value!.Rows);
        Assert.Equal(BulkOutcome.Refused, row.Outcome);
        Assert.Equal($"#{stranger.EmployeeId}", row.Name);
        Assert.True((await _host.FindEmployeeAsync(stranger.EmployeeId))!.IsEnabled);
    }

    [Fact]
    public async Task Each_changed_row_writes_one_audit_record_and_an_unchanged_row_none()
    {
        var petr = await _host.AddEmployeeAsync(_owner, "petr", name: "Пётр");
        var project = await FirstProjectAsync();
        var stop = new BulkRequest(BulkAction.StopTakingCalls, new EmployeeSelection([_ivan.EmployeeId]), project);
        Assert.True((await Bulk.RunAsync(_owner, stop)).Succeeded);
        var before = (await _host.AuditAsync(_owner.AccountId)).Count;

        var result = await Bulk.RunAsync(_owner, stop with { Selection = new EmployeeSelection([_ivan.EmployeeId, petr.EmployeeId]) });

        Assert.Equal(BulkOutcome.Unchanged, result.Value!.Rows.Single(r => r.EmployeeId == _ivan.EmployeeId).Outcome);
        Assert.Equal(BulkOutcome.Done, result.Value.Rows.Single(r => r.EmployeeId == petr.EmployeeId).Outcome);
        var added = (await _host.AuditAsync(_owner.AccountId)).Skip(before).ToList();
        var record = Assert.Single(added);
        Assert.Equal(petr.EmployeeId, record.TargetEmployeeId);
        Assert.False((await _host.FindEmployeeAsync(petr.EmployeeId))!.Memberships.Single(m => m.ProjectId == project).TakesCalls);
    }

    [Fact]
    public async Task The_switch_writes_one_record_per_switched_employee()
    {
        var result = await Bulk.RunAsync(_owner, new BulkRequest(BulkAction.SwitchOff,
            new EmployeeSelection([_ivan.EmployeeId, _boss.EmployeeId, _olga.EmployeeId])));

        Assert.Equal(3, result.Value!.Done);
        var records = await _host.AuditAsync(_owner.AccountId, AuditAction.SwitchToggled);
        Assert.Equal(new[] { _boss.EmployeeId, _ivan.EmployeeId, _olga.EmployeeId }.Order(), records.Select(r => r.TargetEmployeeId!.Value).Order());
    }

    [Fact]
    public async Task All_matching_the_search_selects_every_match_and_nothing_else()
    {
        var ivan2 = await _host.AddEmployeeAsync(_owner, "ivan2", name: "Иван Второй");

        var result = await Bulk.RunAsync(_owner, new BulkRequest(BulkAction.SwitchOff, EmployeeSelection.Matching(EmployeeListScope.All, "иван")));

        Assert.Equal(new[] { _ivan.EmployeeId, ivan2.EmployeeId }.Order(), result.Value!.Rows.Select(r => r.EmployeeId).Order());
        Assert.True((await _host.FindEmployeeAsync(_boss.EmployeeId))!.IsEnabled);
    }

    [Fact]
    public async Task A_project_the_caller_cannot_open_is_refused_per_row()
    {
        var closed = await _host.AddProjectAsync(_owner, "Закрытый");

        var result = await Bulk.RunAsync(_olga, new BulkRequest(BulkAction.StartTakingCalls, new EmployeeSelection([_ivan.EmployeeId]), closed));

        Assert.Equal("Проект не найден или закрыт для вас.", Assert.Single(result.Value!.Refused).Reason);
        Assert.DoesNotContain((await _host.FindEmployeeAsync(_ivan.EmployeeId))!.Memberships, m => m.ProjectId == closed);
    }

    private async Task<int> FirstProjectAsync() => await _host.FirstProjectAsync(_owner);

    private async Task AssertUntouchedAsync(int audited, params CallerContext[] employees)
    {
        foreach (var e in employees)
        {
            var stored = await _host.FindEmployeeAsync(e.EmployeeId);
            Assert.NotNull(stored);
            Assert.True(stored.IsEnabled);
            Assert.All(stored.IsMain ? [] : stored.Memberships, m => Assert.True(m.HasAccess && m.TakesCalls));
        }

        Assert.DoesNotContain((await _host.AuditAsync(_owner.AccountId)).Skip(audited), r => employees.Any(e => e.EmployeeId == r.TargetEmployeeId)
            && r.Action is AuditAction.SwitchToggled or AuditAction.RightsChanged or AuditAction.EmployeeDeleted);
    }
}
