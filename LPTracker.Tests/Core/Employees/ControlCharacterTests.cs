using System.Globalization;
using LPTracker.Core;
using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Employees;

/// <summary>Issue 10, item 8: NUL and other control characters are refused in names, with a message.</summary>
public sealed class ControlCharacterTests : IAsyncLifetime
{
    private const string Message = "Уберите служебные символы (перевод строки, табуляцию, управляющие символы) — в названии и имени они недопустимы.";

    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public ControlCharacterTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("Иван\0Петров", false)]
    [InlineData("Иван\u0001", false)]
    [InlineData("Иван\nПетров", false)]
    [InlineData("Иван\u202Egpj.exe", false)]
    [InlineData("Иван Петров-Водкин", true)]
    [InlineData("Жанна д’Арк 👩‍💼", true)]
    public void Names_with_control_characters_are_refused(string name, bool clean)
    {
        Assert.Equal(!clean, TextRules.HasControlCharacters(name));
    }

    [Fact]
    public async Task An_employee_named_with_a_nul_is_not_created_and_the_form_says_why()
    {
        var editor = _host.Get<EmployeeEditorService>();
        var form = EditorArrange.ValidNewForm((await editor.NewAsync(_owner)).Value!);
        form.Name = "Иван\0Петров";
        form.Position = "Менеджер\u0007";

        var result = await editor.CreateAsync(_owner, form);

        Assert.Equal(Message, result.ErrorFor(nameof(EmployeeForm.Name)));
        Assert.Equal(Message, result.ErrorFor(nameof(EmployeeForm.Position)));
        Assert.Equal(1, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task A_project_name_with_a_control_character_is_refused()
    {
        var result = await _host.Get<ProjectService>().CreateAsync(_owner, "Проект\u001b[31m");

        Assert.False(result.Succeeded);
        Assert.Equal(Message, result.Summary);
    }

    [Fact]
    public async Task A_company_name_with_a_control_character_is_refused_at_sign_up()
    {
        var result = await _host.Get<AccountService>().SignUpAsync(
            new SignUpRequest { CompanyName = "ООО\0Тест", Email = $"a-{Guid.NewGuid():N}@example.com", Password = "secret123" });

        Assert.Equal(Message, result.ErrorFor(nameof(SignUpRequest.CompanyName)));
    }
}
