using LPTracker.Core.Accounts;
using LPTracker.Core.Audit;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Audit;

/// <summary>Each kind of change writes exactly one record with the right before → after, never a secret.</summary>
public sealed class AuditRecordingTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EmployeeEditorService Editor => _host.Get<EmployeeEditorService>();

    private async Task<int> CreateAsync(string suffix = "ivan")
    {
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!, suffix);
        form.Projects[0].HasAccess = true;
        using (CallerScope.Begin(_owner.EmployeeId, "192.0.2.10"))
        {
            var saved = await Editor.CreateAsync(_owner, form);
            Assert.True(saved.Succeeded, saved.Summary);
            return saved.EmployeeId;
        }
    }

    [Fact]
    public async Task Creating_an_employee_writes_one_record_with_its_fields_the_actor_and_the_address()
    {
        var id = await CreateAsync();

        var record = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.EmployeeCreated), r => r.TargetEmployeeId == id);
        Assert.Equal((_owner.EmployeeId, "192.0.2.10", "Иван Петров"), (record.ActorEmployeeId, record.ClientAddress, record.Subject));
        Assert.Contains(new AuditChange("Name", null, "Иван Петров"), record.Changes);
        Assert.Contains(record.Changes, c => c is { Field: "HasAccess", After: "True", Scope: not null and not "" } && !c.Scope.StartsWith("project:", StringComparison.Ordinal));
        Assert.DoesNotContain(record.Changes, c => c.Field.Contains("Password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_the_name_and_the_password_writes_a_profile_record_and_a_password_record_without_values()
    {
        var id = await CreateAsync();
        var form = (await Editor.GetAsync(_owner, id)).Value!.Form;
        form.Name = "Пётр Иванов";
        form.Password = "newsecret123";

        Assert.True((await Editor.UpdateAsync(_owner, id, form)).Succeeded);

        var profile = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.EmployeeUpdated));
        Assert.Equal([new AuditChange("Name", "Иван Петров", "Пётр Иванов")], profile.Changes);
        var password = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.PasswordChanged));
        Assert.Empty(password.Changes);
        Assert.Empty(await _host.AuditAsync(_owner.AccountId, AuditAction.RightsChanged));
    }

    [Fact]
    public async Task Changing_rights_writes_one_rights_record_with_sections_and_project_settings()
    {
        var id = await CreateAsync();
        var form = (await Editor.GetAsync(_owner, id)).Value!.Form;
        form.CommonSections = CommonSections.Telephony;
        form.Projects[0].TakesCalls = true;

        Assert.True((await Editor.UpdateAsync(_owner, id, form)).Succeeded);

        var record = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.RightsChanged));
        Assert.Contains(new AuditChange("CommonSections", "None", "Telephony"), record.Changes);
        Assert.Contains(record.Changes, c => c is { Field: "TakesCalls", Before: "False", After: "True" });
        Assert.Empty(await _host.AuditAsync(_owner.AccountId, AuditAction.EmployeeUpdated));
    }

    [Fact]
    public async Task Sip_data_is_recorded_as_issued_then_regenerated_without_any_secret()
    {
        var id = await CreateAsync();
        var sip = _host.Get<SipDataService>();

        Assert.True((await sip.GenerateAsync(_owner, id)).Succeeded);
        Assert.True((await sip.RegenerateAsync(_owner, id)).Succeeded);

        var issued = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.SipIssued));
        var regenerated = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.SipRegenerated));
        Assert.Equal((id, "Иван Петров"), (regenerated.TargetEmployeeId, regenerated.Subject));
        Assert.Empty(issued.Changes);
        Assert.Empty(regenerated.Changes);
    }

    [Fact]
    public async Task The_switch_and_deletion_are_recorded_once_each()
    {
        var id = await CreateAsync();
        var list = _host.Get<EmployeeListService>();

        using (CallerScope.Begin(_owner.EmployeeId, "192.0.2.10"))
        {
            Assert.True((await list.SetEnabledAsync(_owner, id, false)).Succeeded);
            Assert.True((await list.DeleteAsync(_owner, id)).Succeeded);
        }

        var toggled = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.SwitchToggled));
        Assert.Equal([new AuditChange("IsEnabled", "True", "False")], toggled.Changes);
        var deleted = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.EmployeeDeleted));
        Assert.Equal((id, "Иван Петров", _owner.EmployeeId), (deleted.TargetEmployeeId, deleted.Subject, deleted.ActorEmployeeId));
    }

    [Fact]
    public async Task Numbers_call_strategy_and_projects_are_recorded_with_names_instead_of_ids()
    {
        var numbers = _host.Get<NumberService>();
        var numberId = (await numbers.AddAsync(_owner, new AddNumberRequest { Number = "+78123893201" })).Value;
        var strategy = (await _host.Get<CallStrategyService>().GetAsync(_owner)).Value!.Projects[0];
        strategy.SingleNumberId = numberId;
        strategy.RingMode = RingMode.Sequential;

        Assert.True((await _host.Get<CallStrategyService>().SaveAsync(_owner, strategy)).Succeeded);
        Assert.True((await _host.Get<ProjectService>().RenameAsync(_owner, strategy.ProjectId, "Продажи")).Succeeded);

        Assert.Equal("+78123893201", Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.NumberAdded)).Subject);
        var changed = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.CallStrategyChanged));
        Assert.Contains(new AuditChange("SingleNumberId", null, "+78123893201"), changed.Changes);
        Assert.Contains(new AuditChange("RingMode", "Simultaneous", "Sequential"), changed.Changes);
        var renamed = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.ProjectRenamed));
        Assert.Equal([new AuditChange("Name", strategy.ProjectName, "Продажи")], renamed.Changes);
    }

    [Fact]
    public async Task A_failed_save_writes_no_record_and_no_change()
    {
        var id = await CreateAsync("ivan");
        var other = await CreateAsync("petr");
        var before = (await _host.AuditAsync(_owner.AccountId)).Count;

        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId))
        {
            var a = await db.Employees.SingleAsync(e => e.Id == id);
            var b = await db.Employees.SingleAsync(e => e.Id == other);
            a.Name = "Новое имя";
            b.Login = a.Login;
            b.RefreshSearchText();
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        Assert.Equal(before, (await _host.AuditAsync(_owner.AccountId)).Count);
        Assert.Equal("Иван Петров", (await _host.FindEmployeeAsync(id))!.Name);
    }

    [Fact]
    public async Task Sign_in_success_failure_and_lock_out_are_recorded_for_the_employee()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "anna");
        var login = (await _host.FindEmployeeAsync(employee.EmployeeId))!.Login;
        var signIn = _host.Get<SignInService>();

        using (CallerScope.Begin(null, "198.51.100.7"))
        {
            Assert.Equal(SignInStatus.Succeeded, (await signIn.SignInAsync(login, "secret123")).Status);
            for (var i = 0; i < SignInService.MaxFailures; i++)
            {
                await signIn.SignInAsync(login, "wrong-password1");
            }
        }

        Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.SignIn));
        var failed = await _host.AuditAsync(_owner.AccountId, AuditAction.SignInFailed);
        Assert.Equal(SignInService.MaxFailures - 1, failed.Count);
        var locked = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.LockedOut));
        Assert.Equal((employee.EmployeeId, employee.EmployeeId, "198.51.100.7"), (locked.TargetEmployeeId, locked.ActorEmployeeId, locked.ClientAddress));
    }
}
