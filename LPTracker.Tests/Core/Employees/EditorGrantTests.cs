using System.Globalization;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Employees;

/// <summary>Nobody grants what they lack; nobody locks themselves out; the main account is the main account's.</summary>
public sealed class EditorGrantTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private CallerContext _admin = null!;

    public EditorGrantTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
        _admin = await _host.AddEmployeeAsync(_owner, "admin");
        await _host.SetRightsAsync(_admin, CommonSections.Employees | CommonSections.Telephony, EmployeePermissions.ExportData,
            ProjectSections.Leads | ProjectSections.Deals);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EmployeeEditorService Editor => _host.Get<EmployeeEditorService>();

    [Theory]
    [InlineData(CommonSections.Balance, "Баланс")]
    [InlineData(CommonSections.SiteBuilder, "Конструктор сайтов")]
    public async Task A_common_section_the_caller_lacks_cannot_be_granted(CommonSections section, string name)
    {
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_admin)).Value!);
        form.CommonSections = section;

        var result = await Editor.CreateAsync(_admin, form);

        Assert.Equal($"Нельзя выдать «{name}»: у вас самих этого права нет.", result.ErrorFor(nameof(EmployeeForm.CommonSections)));
        Assert.Equal(2, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task A_permission_the_caller_lacks_cannot_be_granted()
    {
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_admin)).Value!);
        form.Permissions = EmployeePermissions.DeleteData;

        var result = await Editor.CreateAsync(_admin, form);

        Assert.Contains("Удаление данных", result.ErrorFor(nameof(EmployeeForm.Permissions)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_caller_holds_can_be_granted()
    {
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_admin)).Value!);
        form.CommonSections = CommonSections.Employees | CommonSections.Telephony;
        form.Permissions = EmployeePermissions.ExportData;
        form.Projects[0].HasAccess = true;
        form.Projects[0].Sections = ProjectSections.Leads | ProjectSections.Deals;

        var result = await Editor.CreateAsync(_admin, form);

        Assert.True(result.Succeeded, result.Summary);
    }

    [Fact]
    public async Task A_project_section_the_caller_lacks_in_that_project_cannot_be_granted()
    {
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_admin)).Value!);
        form.Projects[0].HasAccess = true;
        form.Projects[0].Sections = ProjectSections.Leads | ProjectSections.Analytics;

        var result = await Editor.CreateAsync(_admin, form);

        Assert.Equal("Нельзя выдать раздел «Аналитика» в проекте «Проект 1»: у вас самих его там нет.",
            result.ErrorFor(nameof(EmployeeForm.Projects)));
    }

    [Fact]
    public async Task Access_to_a_project_the_caller_cannot_open_cannot_be_granted()
    {
        await _host.AddProjectAsync(_owner, "Закрытый");
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_admin)).Value!);
        form.Projects[1].HasAccess = true;

        var result = await Editor.CreateAsync(_admin, form);

        Assert.Contains("«Закрытый»", result.ErrorFor(nameof(EmployeeForm.Projects)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_right_the_caller_holds_may_be_kept_or_taken_away()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        await _host.SetRightsAsync(employee, CommonSections.Employees | CommonSections.Telephony, EmployeePermissions.ExportData);
        var form = (await Editor.GetAsync(_admin, employee.EmployeeId)).Value!.Form;
        form.CommonSections = CommonSections.Telephony;
        form.Permissions = EmployeePermissions.None;

        var result = await Editor.UpdateAsync(_admin, employee.EmployeeId, form);

        Assert.True(result.Succeeded, result.Summary);
        var saved = (await _host.FindEmployeeAsync(employee.EmployeeId))!;
        Assert.Equal((CommonSections.Telephony, EmployeePermissions.None), (saved.CommonSections, saved.Permissions));
    }

    [Fact]
    public async Task An_employee_holding_a_right_the_caller_lacks_cannot_be_saved_by_it()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        await _host.SetRightsAsync(employee, CommonSections.Balance | CommonSections.SiteBuilder, EmployeePermissions.DeleteData);
        var form = (await Editor.GetAsync(_admin, employee.EmployeeId)).Value!.Form;
        form.CommonSections = CommonSections.Balance;

        var result = await Editor.UpdateAsync(_admin, employee.EmployeeId, form);

        Assert.False(result.Succeeded);
        Assert.Equal(CommonSections.Balance | CommonSections.SiteBuilder, (await _host.FindEmployeeAsync(employee.EmployeeId))!.CommonSections);
    }

    [Fact]
    public async Task Nobody_removes_their_own_employees_access()
    {
        var form = (await Editor.GetAsync(_admin, _admin.EmployeeId)).Value!.Form;
        form.CommonSections = CommonSections.Telephony;

        var result = await Editor.UpdateAsync(_admin, _admin.EmployeeId, form);

        Assert.Equal("Нельзя убрать у себя доступ к разделу «Сотрудники».", result.ErrorFor(nameof(EmployeeForm.CommonSections)));
        Assert.True((await _host.FindEmployeeAsync(_admin.EmployeeId))!.CommonSections.HasFlag(CommonSections.Employees));
    }

    [Fact]
    public async Task The_editor_tells_the_ui_what_the_caller_may_grant()
    {
        var model = (await Editor.NewAsync(_admin)).Value!;

        Assert.True(model.Grants.CanGrant(CommonSections.Employees));
        Assert.False(model.Grants.CanGrant(CommonSections.Balance));
        Assert.True(model.Grants.CanGrant(model.Form.Projects[0].ProjectId, ProjectSections.Deals));
        Assert.False(model.Grants.CanGrant(model.Form.Projects[0].ProjectId, ProjectSections.Widgets));
    }

    [Fact]
    public async Task Only_the_main_account_opens_the_main_accounts_page()
    {
        var byAdmin = await Editor.GetAsync(_admin, _owner.EmployeeId);
        var byMain = await Editor.GetAsync(_owner, _owner.EmployeeId);

        Assert.Equal("Главный аккаунт может редактировать только сам главный аккаунт.", byAdmin.Summary);
        Assert.True(byMain.Value!.IsMain);
    }

    [Fact]
    public async Task An_administrator_cannot_save_the_main_account()
    {
        var form = (await Editor.GetAsync(_owner, _owner.EmployeeId)).Value!.Form;
        form.Name = "Захвачен";

        var result = await Editor.UpdateAsync(_admin, _owner.EmployeeId, form);

        Assert.False(result.Succeeded);
        Assert.NotEqual("Захвачен", (await _host.FindEmployeeAsync(_owner.EmployeeId))!.Name);
    }

    [Fact]
    public async Task The_main_accounts_login_is_its_e_mail_and_follows_it()
    {
        var form = (await Editor.GetAsync(_owner, _owner.EmployeeId)).Value!.Form;
        form.Email = "New.Owner@example.com";

        var result = await Editor.UpdateAsync(_owner, _owner.EmployeeId, form);

        Assert.True(result.Succeeded, result.Summary);
        var saved = (await _host.FindEmployeeAsync(_owner.EmployeeId))!;
        Assert.Equal(("New.Owner@example.com", "new.owner@example.com"), (saved.Login, saved.NormalizedLogin));
    }

    [Fact]
    public async Task The_main_account_keeps_every_right_whatever_the_form_says()
    {
        var form = (await Editor.GetAsync(_owner, _owner.EmployeeId)).Value!.Form;
        form.CommonSections = CommonSections.None;
        form.Permissions = EmployeePermissions.None;
        form.Projects.ForEach(p => p.Sections = ProjectSections.None);

        await Editor.UpdateAsync(_owner, _owner.EmployeeId, form);

        var saved = (await _host.FindEmployeeAsync(_owner.EmployeeId))!;
        Assert.Equal((CommonSections.All, EmployeePermissions.All), (saved.CommonSections, saved.Permissions));
        Assert.All(saved.Memberships, m => Assert.Equal(ProjectSections.All, m.Sections));
    }

    [Fact]
    public async Task The_main_account_cannot_take_another_accounts_e_mail_as_login()
    {
        var other = await _host.SignUpAsync("taken@example.com");
        var form = (await Editor.GetAsync(_owner, _owner.EmployeeId)).Value!.Form;
        form.Email = "TAKEN@example.com";

        var result = await Editor.UpdateAsync(_owner, _owner.EmployeeId, form);

        Assert.Equal("Такой логин уже занят. Придумайте другой.", result.ErrorFor(nameof(EmployeeForm.Email)));
        Assert.NotNull(other);
    }
}
