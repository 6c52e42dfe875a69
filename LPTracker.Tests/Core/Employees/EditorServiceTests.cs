using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Employees;

public sealed class EditorServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public EditorServiceTests() => System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EmployeeEditorService Editor => _host.Get<EmployeeEditorService>();

    [Fact]
    public async Task A_new_employee_gets_access_to_the_callers_current_project_and_takes_calls_there_by_default()
    {
        var second = await _host.AddProjectAsync(_owner, "Проект 2");

        var blank = (await Editor.NewAsync(_owner)).Value!;

        var rows = blank.Form.Projects.ToDictionary(p => p.ProjectName, p => (p.HasAccess, p.TakesCalls));
        Assert.Equal((true, true), rows["Проект 1"]);
        Assert.Equal((false, false), rows["Проект 2"]);
        Assert.DoesNotContain(blank.Form.Projects, p => p.ProjectId == second && p.HasAccess);
    }

    [Fact]
    public async Task The_main_account_takes_calls_in_one_project_and_not_in_another()
    {
        var second = await _host.AddProjectAsync(_owner, "Проект 2");
        var form = (await Editor.GetAsync(_owner, _owner.EmployeeId)).Value!.Form;
        form.Projects.Single(p => p.ProjectId == second).TakesCalls = true;
        form.Projects.Single(p => p.ProjectId != second).TakesCalls = false;

        var result = await Editor.UpdateAsync(_owner, _owner.EmployeeId, form);

        Assert.True(result.Succeeded, result.Summary);
        var main = (await _host.FindEmployeeAsync(_owner.EmployeeId))!;
        Assert.True(main.Memberships.Single(m => m.ProjectId == second).TakesCalls);
        Assert.False(main.Memberships.Single(m => m.ProjectId != second).TakesCalls);
        Assert.Equal((CommonSections.All, EmployeePermissions.All), (main.CommonSections, main.Permissions));
        Assert.All(main.Memberships, m => Assert.True(m.HasAccess));
    }

    [Fact]
    public async Task A_new_employee_is_created_with_every_block_filled()
    {
        var numberId = await _host.AddNumberAsync(_owner, "+78123893201");
        var blank = (await Editor.NewAsync(_owner)).Value!;
        var form = EditorArrange.ValidNewForm(blank);
        form.DisplayedNumberId = numberId;
        form.CallReceiving = CallReceivingMethod.Mobile;
        form.HideClientNumber = true;
        form.PopUpContactCard = false;
        form.CommonSections = CommonSections.Balance | CommonSections.Telephony;
        form.Permissions = EmployeePermissions.ExportData | EmployeePermissions.SeeOthersItems;
        form.Projects[0].HasAccess = true;
        form.Projects[0].TakesCalls = true;
        form.Projects[0].Sections = ProjectSections.Leads | ProjectSections.Deals;

        var result = await Editor.CreateAsync(_owner, form);

        Assert.True(result.Succeeded, result.Summary);
        var saved = (await _host.FindEmployeeAsync(result.EmployeeId))!;
        var number = (await _host.Get<AccessService>().GetProfileAsync(_owner))!.AccountNumber;
        Assert.Equal(("Иван Петров", $"{number}_ivan", "+78123893298", "ivan@example.com", "Менеджер"),
            (saved.Name, saved.Login, saved.Phone, saved.Email, saved.Position));
        Assert.Equal((numberId, CallReceivingMethod.Mobile, true, false), (saved.DisplayedNumberId, saved.CallReceiving, saved.HideClientNumber, saved.PopUpContactCard));
        Assert.Equal(CommonSections.Balance | CommonSections.Telephony, saved.CommonSections);
        Assert.Equal(EmployeePermissions.ExportData | EmployeePermissions.SeeOthersItems, saved.Permissions);
        var membership = Assert.Single(saved.Memberships);
        Assert.Equal((true, true, ProjectSections.Leads | ProjectSections.Deals), (membership.HasAccess, membership.TakesCalls, membership.Sections));
        Assert.Equal(membership.ProjectId, saved.CurrentProjectId);
    }

    [Fact]
    public async Task A_new_employee_signs_in_with_the_full_login_and_the_password()
    {
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!, "Ivan.Petrov");

        var created = await Editor.CreateAsync(_owner, form);

        var number = (await _host.Get<AccessService>().GetProfileAsync(_owner))!.AccountNumber;
        var signIn = await _host.Get<SignInService>().SignInAsync($"{number}_ivan.petrov", "secret123");
        Assert.Equal(SignInStatus.Succeeded, signIn.Status);
        Assert.Equal(created.EmployeeId, signIn.Employee!.EmployeeId);
    }

    [Fact]
    public async Task Creating_an_employee_tells_open_lists()
    {
        var changes = new List<EmployeeChange>();
        using var subscription = _host.Get<ChangeNotifier>().Subscribe(_owner.AccountId, changes.Add);
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!);

        var created = await Editor.CreateAsync(_owner, form);

        Assert.Equal([new EmployeeChange(_owner.AccountId, created.EmployeeId, EmployeeChangeKind.Created)], changes);
    }

    [Theory]
    [InlineData("ivan")]
    [InlineData("IVAN")]
    public async Task A_login_already_taken_is_refused_and_nothing_is_saved(string suffix)
    {
        await _host.AddEmployeeAsync(_owner, "ivan");
        var before = await _host.CountEmployeesAsync(_owner.AccountId);
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!, suffix);

        var result = await Editor.CreateAsync(_owner, form);

        Assert.Contains("логин уже занят", result.ErrorFor(nameof(EmployeeForm.LoginSuffix)), StringComparison.Ordinal);
        Assert.Equal(before, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task A_virtual_number_of_the_account_is_refused_as_the_phone_naming_the_numbers_page()
    {
        await _host.AddNumberAsync(_owner, "+78123893201");
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!);
        form.Phone = "8 (812) 389-32-01";

        var result = await Editor.CreateAsync(_owner, form);

        Assert.Contains("Виртуальная АТС → Номера", result.ErrorFor(nameof(EmployeeForm.Phone)), StringComparison.Ordinal);
        Assert.Equal(1, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task Another_accounts_virtual_number_is_a_fine_phone()
    {
        var other = await _host.SignUpAsync();
        await _host.AddNumberAsync(other, "+78123893201");
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!);
        form.Phone = "+78123893201";

        var result = await Editor.CreateAsync(_owner, form);

        Assert.True(result.Succeeded, result.Summary);
    }

    [Fact]
    public async Task A_displayed_number_of_another_account_is_refused_and_nothing_is_saved()
    {
        var other = await _host.SignUpAsync();
        var foreign = await _host.AddNumberAsync(other, "+74951234567");
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!);
        form.DisplayedNumberId = foreign;

        var result = await Editor.CreateAsync(_owner, form);

        Assert.NotNull(result.ErrorFor(nameof(EmployeeForm.DisplayedNumberId)));
        Assert.Equal(1, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task Rights_for_a_project_of_another_account_are_refused_and_nothing_is_saved()
    {
        var other = await _host.SignUpAsync();
        var foreignProject = (await _host.Get<LPTracker.Core.Projects.ProjectService>().ListAsync(other)).Single().Id;
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        var model = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!;
        var form = model.Form.Clone();
        form.Name = "Изменено";
        form.Projects.Add(new ProjectAccessForm { ProjectId = foreignProject, HasAccess = true, Sections = ProjectSections.All });

        var result = await Editor.UpdateAsync(_owner, employee.EmployeeId, form);

        Assert.NotNull(result.ErrorFor(nameof(EmployeeForm.Projects)));
        var saved = (await _host.FindEmployeeAsync(employee.EmployeeId))!;
        Assert.Equal("ivan", saved.Name);
        Assert.DoesNotContain(saved.Memberships, m => m.ProjectId == foreignProject);
    }

    [Fact]
    public async Task An_employee_of_another_account_cannot_be_opened_or_saved()
    {
        var other = await _host.SignUpAsync();
        var foreign = await _host.AddEmployeeAsync(other, "petr");
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!);
        form.Password = "";

        var opened = await Editor.GetAsync(_owner, foreign.EmployeeId);
        var saved = await Editor.UpdateAsync(_owner, foreign.EmployeeId, form);

        Assert.False(opened.Succeeded);
        Assert.False(saved.Succeeded);
        Assert.Equal("petr", (await _host.FindEmployeeAsync(foreign.EmployeeId))!.Name);
    }

    [Fact]
    public async Task Editing_saves_the_profile_and_tells_open_lists()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        var changes = new List<EmployeeChange>();
        using var subscription = _host.Get<ChangeNotifier>().Subscribe(_owner.AccountId, changes.Add);
        var form = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!.Form;
        form.Name = "Иван Сидоров";
        form.LoginSuffix = "sidorov";
        form.Phone = "+7 921 555 12 34";

        var result = await Editor.UpdateAsync(_owner, employee.EmployeeId, form);

        Assert.True(result.Succeeded, result.Summary);
        var saved = (await _host.FindEmployeeAsync(employee.EmployeeId))!;
        Assert.Equal(("Иван Сидоров", "+79215551234"), (saved.Name, saved.Phone));
        Assert.EndsWith("_sidorov", saved.Login, StringComparison.Ordinal);
        Assert.Contains("иван сидоров", saved.SearchText, StringComparison.Ordinal);
        Assert.Contains(new EmployeeChange(_owner.AccountId, employee.EmployeeId, EmployeeChangeKind.Updated), changes);
    }

    [Fact]
    public async Task Changing_the_password_signs_the_employee_out_everywhere()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        var stamp = (await _host.FindEmployeeAsync(employee.EmployeeId))!.SecurityStamp;
        var form = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!.Form;
        form.Password = "newpassword1";

        await Editor.UpdateAsync(_owner, employee.EmployeeId, form);

        var saved = (await _host.FindEmployeeAsync(employee.EmployeeId))!;
        Assert.NotEqual(stamp, saved.SecurityStamp);
        Assert.False(await _host.Get<SignInService>().IsSessionValidAsync(employee.EmployeeId, stamp));
        Assert.Equal(SignInStatus.Succeeded, (await _host.Get<SignInService>().SignInAsync(saved.Login, "newpassword1")).Status);
    }

    [Fact]
    public async Task Saving_without_a_new_password_keeps_the_session()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        var stamp = (await _host.FindEmployeeAsync(employee.EmployeeId))!.SecurityStamp;
        var form = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!.Form;
        form.Position = "Стажёр";

        await Editor.UpdateAsync(_owner, employee.EmployeeId, form);

        Assert.Equal(stamp, (await _host.FindEmployeeAsync(employee.EmployeeId))!.SecurityStamp);
    }

    [Fact]
    public async Task The_second_of_two_administrators_saving_gets_a_conflict_with_the_current_values()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        var first = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!.Form;
        var second = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!.Form;
        first.Position = "Первый";
        second.Position = "Второй";
        await Editor.UpdateAsync(_owner, employee.EmployeeId, first);

        var result = await Editor.UpdateAsync(_owner, employee.EmployeeId, second);

        Assert.True(result.IsConflict);
        Assert.Contains("изменил кто-то другой", result.Summary, StringComparison.Ordinal);
        Assert.Equal("Первый", result.Current!.Form.Position);
        Assert.Equal("Первый", (await _host.FindEmployeeAsync(employee.EmployeeId))!.Position);
    }

    [Fact]
    public async Task Saving_again_with_the_version_returned_by_a_save_succeeds()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        var form = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!.Form;
        form.Position = "Первый";
        var saved = await Editor.UpdateAsync(_owner, employee.EmployeeId, form);
        form.Version = saved.Version;
        form.Position = "Второй";

        var again = await Editor.UpdateAsync(_owner, employee.EmployeeId, form);

        Assert.True(again.Succeeded, again.Summary);
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_cannot_use_the_editor()
    {
        var plain = await _host.AddEmployeeAsync(_owner, "plain");
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!);

        var opened = await Editor.NewAsync(plain);
        var created = await Editor.CreateAsync(plain, form);
        var edited = await Editor.UpdateAsync(plain, plain.EmployeeId, form);

        Assert.Contains("Недостаточно прав", opened.Summary, StringComparison.Ordinal);
        Assert.False(created.Succeeded);
        Assert.False(edited.Succeeded);
        Assert.Equal(2, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task A_stored_photo_replaces_the_old_one_whose_file_is_removed()
    {
        var employee = await _host.AddEmployeeAsync(_owner, "ivan");
        var photos = _host.Get<PhotoService>();
        var first = (await photos.UploadAsync(_owner, new MemoryStream(EditorImages.Jpeg(400, 300)))).Value!;
        var form = (await Editor.GetAsync(_owner, employee.EmployeeId)).Value!.Form;
        form.PhotoFile = first;
        form.Version = (await Editor.UpdateAsync(_owner, employee.EmployeeId, form)).Version;
        var second = (await photos.UploadAsync(_owner, new MemoryStream(EditorImages.Png(300, 300)))).Value!;
        form.PhotoFile = second;

        var result = await Editor.UpdateAsync(_owner, employee.EmployeeId, form);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal(second, (await _host.FindEmployeeAsync(employee.EmployeeId))!.PhotoFile);
        Assert.False(photos.IsStored(first));
        Assert.True(photos.IsStored(second));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789abcdef0123456789abcdef.jpg")]
    public async Task A_photo_name_that_was_not_stored_by_the_service_is_refused(string name)
    {
        var form = EditorArrange.ValidNewForm((await Editor.NewAsync(_owner)).Value!);
        form.PhotoFile = name;

        var result = await Editor.CreateAsync(_owner, form);

        Assert.NotNull(result.ErrorFor(nameof(EmployeeForm.PhotoFile)));
    }
}
