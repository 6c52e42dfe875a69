using System.Globalization;
using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Employees;

/// <summary>
/// Issue 10, item 1: olga (Employees + Telephony) set a new password for a colleague holding more rights, signed in
/// as them and granted herself the rest. Every path that changes another employee's credentials or standing now
/// needs every right the target holds.
/// </summary>
public sealed class EscalationTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private CallerContext _olga = null!;
    private CallerContext _boss = null!;

    public EscalationTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
        _olga = await _host.AddEmployeeAsync(_owner, "olga", CommonSections.Employees | CommonSections.Telephony);
        _boss = await _host.AddEmployeeAsync(_owner, "boss", name: "Начальник");
        await _host.SetRightsAsync(_boss, CommonSections.All, EmployeePermissions.All);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EmployeeEditorService Editor => _host.Get<EmployeeEditorService>();

    private SipDataService Sip => _host.Get<SipDataService>();

    private EmployeeListService List => _host.Get<EmployeeListService>();

    [Fact]
    public async Task Olga_cannot_set_a_new_password_for_an_employee_with_more_rights()
    {
        var form = (await Editor.GetAsync(_olga, _boss.EmployeeId)).Value!.Form;
        form.Password = "taken-over-1";

        var result = await Editor.UpdateAsync(_olga, _boss.EmployeeId, form);
        var signIn = await _host.Get<SignInService>().SignInAsync((await _host.FindEmployeeAsync(_boss.EmployeeId))!.Login, "taken-over-1");

        Assert.False(result.Succeeded);
        Assert.StartsWith("У сотрудника «Начальник» есть права, которых нет у вас: Баланс, Конструктор сайтов, Удаление данных",
            result.Summary, StringComparison.Ordinal);
        Assert.Equal(SignInStatus.InvalidCredentials, signIn.Status);
    }

    [Fact]
    public async Task Olga_cannot_change_the_login_of_an_employee_with_more_rights()
    {
        var form = (await Editor.GetAsync(_olga, _boss.EmployeeId)).Value!.Form;
        form.LoginSuffix = "olga2";

        var result = await Editor.UpdateAsync(_olga, _boss.EmployeeId, form);

        Assert.False(result.Succeeded);
        Assert.EndsWith("_boss", (await _host.FindEmployeeAsync(_boss.EmployeeId))!.Login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Olga_cannot_issue_regenerate_or_reveal_the_sip_data_of_an_employee_with_more_rights()
    {
        Assert.True((await Sip.GenerateAsync(_owner, _boss.EmployeeId)).Succeeded);

        var generate = await Sip.GenerateAsync(_olga, _boss.EmployeeId);
        var regenerate = await Sip.RegenerateAsync(_olga, _boss.EmployeeId);
        var reveal = await Sip.RevealPasswordAsync(_olga, _boss.EmployeeId);
        var view = await Sip.GetAsync(_olga, _boss.EmployeeId);

        Assert.Contains("Начальник", generate.Summary, StringComparison.Ordinal);
        Assert.False(regenerate.Succeeded);
        Assert.False(reveal.Succeeded);
        Assert.Null(reveal.Value);
        Assert.True(view.Succeeded, view.Summary);
    }

    [Fact]
    public async Task Olga_cannot_switch_or_delete_an_employee_with_more_rights()
    {
        var toggle = await List.SetEnabledAsync(_olga, _boss.EmployeeId, enabled: false);
        var delete = await List.DeleteAsync(_olga, _boss.EmployeeId);

        Assert.False(toggle.Succeeded);
        Assert.False(delete.Succeeded);
        var boss = (await _host.FindEmployeeAsync(_boss.EmployeeId))!;
        Assert.True(boss.IsEnabled);
    }

    [Fact]
    public async Task Olga_still_manages_an_employee_whose_rights_she_holds()
    {
        var ivan = await _host.AddEmployeeAsync(_owner, "ivan", CommonSections.Telephony);
        var form = (await Editor.GetAsync(_olga, ivan.EmployeeId)).Value!.Form;
        form.Password = "new-secret-1";

        var save = await Editor.UpdateAsync(_olga, ivan.EmployeeId, form);
        var sip = await Sip.GenerateAsync(_olga, ivan.EmployeeId);
        var toggle = await List.SetEnabledAsync(_olga, ivan.EmployeeId, enabled: false);
        var delete = await List.DeleteAsync(_olga, ivan.EmployeeId);

        Assert.True(save.Succeeded, save.Summary);
        Assert.True(sip.Succeeded, sip.Summary);
        Assert.True(toggle.Succeeded, toggle.Summary);
        Assert.True(delete.Succeeded, delete.Summary);
    }

    [Fact]
    public async Task A_project_olga_cannot_open_is_not_named_in_the_refusal()
    {
        var secret = await _host.AddProjectAsync(_owner, "Секретный проект");
        var ivan = await _host.AddEmployeeAsync(_owner, "ivan");
        var form = (await Editor.GetAsync(_owner, ivan.EmployeeId)).Value!.Form;
        form.Projects.Single(p => p.ProjectId == secret).TakesCalls = true;
        Assert.True((await Editor.UpdateAsync(_owner, ivan.EmployeeId, form)).Succeeded);

        var result = await List.DeleteAsync(_olga, ivan.EmployeeId);

        Assert.False(result.Succeeded);
        Assert.Contains("права в проектах, к которым у вас нет доступа", result.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Секретный", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Olga_cannot_make_someone_take_calls_in_a_project_she_cannot_open()
    {
        var secret = await _host.AddProjectAsync(_owner, "Закрытый");
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_olga)).Value!);
        form.Projects.Single(p => p.ProjectId == secret).TakesCalls = true;

        var result = await Editor.CreateAsync(_olga, form);

        Assert.Equal("Нельзя включить приём звонков в проекте «Закрытый»: у вас самих нет доступа к нему.",
            result.ErrorFor(nameof(EmployeeForm.Projects)));
    }
}
