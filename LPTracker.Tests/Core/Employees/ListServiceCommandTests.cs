using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Core.Employees;

public sealed class ListServiceCommandTests : IAsyncLifetime
{
    private ListTestHost _host = null!;
    private CallerContext _main = null!;
    private int _project;

    public async Task InitializeAsync()
    {
        _host = await ListTestHost.CreateAsync();
        _main = await _host.SignUpAsync();
        _project = await _host.FirstProjectAsync(_main.AccountId);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_switch_changes_only_is_enabled_and_publishes_the_change()
    {
        var id = await _host.AddEmployeeAsync(_main.AccountId, "Иван", new() { [_project] = (true, true) }, position: "Менеджер");
        var before = await _host.FindAsync(_main.AccountId, id);
        var changes = Record();

        var result = await _host.List.SetEnabledAsync(_main, id, enabled: false);

        Assert.True(result.Succeeded, result.Summary);
        var after = await _host.FindAsync(_main.AccountId, id);
        Assert.False(after!.IsEnabled);
        Assert.Equal(before!.Name, after.Name);
        Assert.Equal(before.Position, after.Position);
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);
        Assert.True(after.Memberships.Single().TakesCalls);
        // The editor never writes IsEnabled: keeping the version lets an editor opened before the switch save.
        Assert.Equal(before.Version, after.Version);
        Assert.Equal([new EmployeeChange(_main.AccountId, id, EmployeeChangeKind.SwitchToggled)], changes);
    }

    [Fact]
    public async Task Switching_an_employee_another_administrator_just_deleted_says_so()
    {
        var id = await _host.AddEmployeeAsync(_main.AccountId, "Иван");
        Assert.True((await _host.List.DeleteAsync(_main, id)).Succeeded);

        var result = await _host.List.SetEnabledAsync(_main, id, enabled: false);

        Assert.False(result.Succeeded);
        Assert.Equal(_host.L["EmployeeList.Error.NotFound"].Value, result.Summary);
    }

    [Fact]
    public async Task Only_the_main_account_switches_the_main_account()
    {
        var admin = new CallerContext(_main.AccountId,
            await _host.AddEmployeeAsync(_main.AccountId, "Админ", sections: CommonSections.Employees));

        var byAdmin = await _host.List.SetEnabledAsync(admin, _main.EmployeeId, enabled: false);
        var stillOn = (await _host.FindAsync(_main.AccountId, _main.EmployeeId))!.IsEnabled;
        var byMain = await _host.List.SetEnabledAsync(_main, _main.EmployeeId, enabled: false);

        Assert.Equal(_host.L["EmployeeList.Blocked.ToggleMain"].Value, byAdmin.Summary);
        Assert.True(stillOn);
        Assert.True(byMain.Succeeded);
        Assert.False((await _host.FindAsync(_main.AccountId, _main.EmployeeId))!.IsEnabled);
    }

    [Fact]
    public async Task An_administrator_with_the_employees_section_switches_other_employees_and_themselves()
    {
        var admin = new CallerContext(_main.AccountId,
            await _host.AddEmployeeAsync(_main.AccountId, "Админ", sections: CommonSections.Employees));
        var other = await _host.AddEmployeeAsync(_main.AccountId, "Иван");

        Assert.True((await _host.List.SetEnabledAsync(admin, other, enabled: false)).Succeeded);
        Assert.True((await _host.List.SetEnabledAsync(admin, admin.EmployeeId, enabled: false)).Succeeded);
    }

    [Fact]
    public async Task Delete_removes_the_employee_memberships_sip_credentials_bindings_and_photo_and_ends_sessions()
    {
        Directory.CreateDirectory(_host.PhotosFolder);
        var name = $"{Guid.NewGuid():N}.jpg";
        var photo = Path.Combine(_host.PhotosFolder, name);
        await File.WriteAllBytesAsync(photo, [1, 2, 3]);
        var id = await _host.AddEmployeeAsync(_main.AccountId, "Иван", new() { [_project] = (true, true) }, sip: true, photo: name);
        var stamp = (await _host.FindAsync(_main.AccountId, id))!.SecurityStamp;
        var changes = Record();

        var result = await _host.List.DeleteAsync(_main, id);

        Assert.True(result.Succeeded, result.Summary);
        await using var db = await _host.DbAsync(_main.AccountId);
        Assert.False(await db.Employees.AnyAsync(e => e.Id == id));
        Assert.False(await db.Memberships.AnyAsync(m => m.EmployeeId == id));
        Assert.False(await db.SipAccounts.AnyAsync(s => s.EmployeeId == id));
        Assert.False(await db.SipBindings.AnyAsync(b => b.EmployeeId == id));
        Assert.False(File.Exists(photo));
        Assert.False(await _host.Services.GetRequiredService<SignInService>().IsSessionValidAsync(id, stamp));
        Assert.Equal([new EmployeeChange(_main.AccountId, id, EmployeeChangeKind.Deleted)], changes);
    }

    [Fact]
    public async Task The_main_account_cannot_be_deleted()
    {
        var admin = new CallerContext(_main.AccountId,
            await _host.AddEmployeeAsync(_main.AccountId, "Админ", sections: CommonSections.Employees));

        var result = await _host.List.DeleteAsync(admin, _main.EmployeeId);

        Assert.Equal(_host.L["EmployeeList.Blocked.DeleteMain"].Value, result.Summary);
        Assert.NotNull(await _host.FindAsync(_main.AccountId, _main.EmployeeId));
    }

    [Fact]
    public async Task Nobody_deletes_themselves()
    {
        var admin = new CallerContext(_main.AccountId,
            await _host.AddEmployeeAsync(_main.AccountId, "Админ", sections: CommonSections.Employees));

        var result = await _host.List.DeleteAsync(admin, admin.EmployeeId);

        Assert.Equal(_host.L["EmployeeList.Blocked.DeleteSelf"].Value, result.Summary);
        Assert.NotNull(await _host.FindAsync(_main.AccountId, admin.EmployeeId));
    }

    [Fact]
    public async Task Deleting_twice_says_the_employee_is_gone_the_second_time()
    {
        var id = await _host.AddEmployeeAsync(_main.AccountId, "Иван");

        var first = await _host.List.DeleteAsync(_main, id);
        var second = await _host.List.DeleteAsync(_main, id);

        Assert.True(first.Succeeded);
        Assert.Equal(_host.L["EmployeeList.Error.NotFound"].Value, second.Summary);
    }

    [Fact]
    public async Task Another_accounts_employee_by_id_is_not_found_and_untouched()
    {
        var theirs = await _host.SignUpAsync();
        var victim = await _host.AddEmployeeAsync(theirs.AccountId, "Чужой", sip: true);

        var delete = await _host.List.DeleteAsync(_main, victim);
        var toggle = await _host.List.SetEnabledAsync(_main, victim, enabled: false);

        Assert.Equal(_host.L["EmployeeList.Error.NotFound"].Value, delete.Summary);
        Assert.Equal(_host.L["EmployeeList.Error.NotFound"].Value, toggle.Summary);
        var after = await _host.FindAsync(theirs.AccountId, victim);
        Assert.NotNull(after);
        Assert.True(after.IsEnabled);
        await using var db = await _host.DbAsync(theirs.AccountId);
        Assert.True(await db.SipAccounts.AnyAsync(s => s.EmployeeId == victim));
    }

    [Fact]
    public async Task A_caller_without_the_employees_section_is_denied_and_nothing_changes()
    {
        var plain = new CallerContext(_main.AccountId,
            await _host.AddEmployeeAsync(_main.AccountId, "Без раздела", sections: CommonSections.Telephony));
        var target = await _host.AddEmployeeAsync(_main.AccountId, "Иван");
        var changes = Record();

        var toggle = await _host.List.SetEnabledAsync(plain, target, enabled: false);
        var delete = await _host.List.DeleteAsync(plain, target);

        Assert.Equal(_host.L["Access.Denied"].Value, toggle.Summary);
        Assert.Equal(_host.L["Access.Denied"].Value, delete.Summary);
        Assert.True((await _host.FindAsync(_main.AccountId, target))!.IsEnabled);
        Assert.Empty(changes);
    }

    [Fact]
    public async Task A_deleted_administrator_can_no_longer_act()
    {
        var adminId = await _host.AddEmployeeAsync(_main.AccountId, "Админ", sections: CommonSections.Employees);
        var target = await _host.AddEmployeeAsync(_main.AccountId, "Иван");
        await _host.List.DeleteAsync(_main, adminId);

        var result = await _host.List.DeleteAsync(new CallerContext(_main.AccountId, adminId), target);

        Assert.Equal(_host.L["Access.Denied"].Value, result.Summary);
        Assert.NotNull(await _host.FindAsync(_main.AccountId, target));
    }

    private List<EmployeeChange> Record()
    {
        var changes = new List<EmployeeChange>();
        _host.Notifier.Subscribe(_main.AccountId, c => { lock (changes) { changes.Add(c); } });
        return changes;
    }
}
