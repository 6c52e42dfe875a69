using System.Globalization;
using LPTracker.Core;
using LPTracker.Core.Employees;
using LPTracker.Core.Localization;
using LPTracker.Core.Permissions;
using Microsoft.Extensions.Localization;

namespace LPTracker.Tests.Core.Employees;

public class EditorValidatorTests
{
    private const string Virtual = "+78123893201";

    private static readonly EmployeeFormValidator Validator = new(
        new StringLocalizer<EmployeeFormValidator>(new JsonStringLocalizerFactory([typeof(CoreExtensions).Assembly])));

    private static readonly EmployeeRuleContext NewEmployee = new(true, false, new HashSet<string> { Virtual });
    private static readonly EmployeeRuleContext Existing = new(false, false, new HashSet<string> { Virtual });
    private static readonly EmployeeRuleContext MainAccount = new(false, true, new HashSet<string> { Virtual });

    /// <summary>Each broken rule: the change to a valid form, the context, the field, and the message in both languages.</summary>
    private static readonly Dictionary<string, (Action<EmployeeForm> Break, EmployeeRuleContext Rules, string Field, string Ru, string En)> Broken = new()
    {
        ["empty name"] = (f => f.Name = "", NewEmployee, "Name", "Заполните это поле.", "This field is required."),
        ["blank name"] = (f => f.Name = "   ", NewEmployee, "Name", "Заполните это поле.", "This field is required."),
        ["long name"] = (f => f.Name = new string('я', Limits.EmployeeName + 1), NewEmployee, "Name", "Не больше 100 символов.", "No more than 100 characters."),
        ["empty login"] = (f => f.LoginSuffix = "", NewEmployee, "LoginSuffix", "Заполните это поле.", "This field is required."),
        ["cyrillic login"] = (f => f.LoginSuffix = "иван", NewEmployee, "LoginSuffix", "Только латинские буквы", "Only latin letters"),
        ["login with a space"] = (f => f.LoginSuffix = "ivan petrov", NewEmployee, "LoginSuffix", "Только латинские буквы", "Only latin letters"),
        ["login with @"] = (f => f.LoginSuffix = "ivan@mail", NewEmployee, "LoginSuffix", "Только латинские буквы", "Only latin letters"),
        ["long login"] = (f => f.LoginSuffix = new string('a', Limits.LoginSuffix + 1), NewEmployee, "LoginSuffix", "Не больше 40 символов.", "No more than 40 characters."),
        ["no password for a new employee"] = (f => f.Password = "", NewEmployee, "Password", "Заполните это поле.", "This field is required."),
        ["short password"] = (f => f.Password = "abc123", NewEmployee, "Password", "Пароль должен быть не короче 8", "at least 8 characters"),
        ["password without digits"] = (f => f.Password = "onlyletters", NewEmployee, "Password", "Пароль должен быть", "The password must be"),
        ["weak new password of an existing employee"] = (f => f.Password = "abc", Existing, "Password", "Пароль должен быть", "The password must be"),
        ["phone with letters"] = (f => f.Phone = "+7 812 ABC-DE-FG", NewEmployee, "Phone", "Введите настоящий номер телефона", "Enter a real phone number"),
        ["too short a phone"] = (f => f.Phone = "12345", NewEmployee, "Phone", "Введите настоящий номер телефона", "Enter a real phone number"),
        ["phone of an unknown country"] = (f => f.Phone = "+999 123 456 789", NewEmployee, "Phone", "Введите настоящий номер телефона", "Enter a real phone number"),
        ["virtual number as the phone"] = (f => f.Phone = "8 (812) 389-32-01", NewEmployee, "Phone", "Виртуальная АТС → Номера", "Virtual PBX → Numbers"),
        ["mobile receiving without a phone"] = (f => { f.Phone = ""; f.CallReceiving = CallReceivingMethod.Mobile; }, NewEmployee, "Phone", "на мобильный", "on the mobile"),
        ["SIM receiving without a SIM number"] = (f => { f.CallReceiving = CallReceivingMethod.Sim; f.SimNumber = " "; }, NewEmployee, "SimNumber", "SIM-карту LPTracker", "LPTracker SIM card"),
        ["SIM number that is not a number"] = (f => { f.CallReceiving = CallReceivingMethod.Sim; f.SimNumber = "sim"; }, NewEmployee, "SimNumber", "Введите настоящий номер телефона", "Enter a real phone number"),
        ["bad e-mail"] = (f => f.Email = "ivan.example.com", NewEmployee, "Email", "электронной почты", "e-mail address"),
        ["main account without an e-mail"] = (f => f.Email = "", MainAccount, "Email", "Заполните это поле.", "This field is required."),
        ["long position"] = (f => f.Position = new string('п', Limits.Position + 1), NewEmployee, "Position", "Не больше 100 символов.", "No more than 100 characters."),
        ["unknown receiving method"] = (f => f.CallReceiving = (CallReceivingMethod)9, NewEmployee, "CallReceiving", "Недопустимое значение.", "Invalid value."),
        ["unknown common section"] = (f => f.CommonSections = (CommonSections)1024, NewEmployee, "CommonSections", "Недопустимое значение.", "Invalid value."),
        ["unknown permission"] = (f => f.Permissions = (EmployeePermissions)4096, NewEmployee, "Permissions", "Недопустимое значение.", "Invalid value."),
        ["unknown project section"] = (f => f.Projects[0].Sections = (ProjectSections)512, NewEmployee, "Projects", "Недопустимое значение.", "Invalid value."),
        ["the same project twice"] = (f => f.Projects.Add(f.Projects[0] with { }), NewEmployee, "Projects", "Недопустимое значение.", "Invalid value."),
    };

    public static TheoryData<string, string> BrokenRules()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in Broken.Keys)
        {
            data.Add(rule, "ru-RU");
            data.Add(rule, "en-US");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task Each_broken_rule_is_reported_on_its_field_in_the_ui_language(string rule, string culture)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var (breakIt, rules, field, ru, en) = Broken[rule];
        var form = Valid();
        breakIt(form);

        var result = await Validator.ValidateAsync(form, rules);

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.PropertyName);
        Assert.Contains(culture == "ru-RU" ? ru : en, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8 (812) 389-32-98")]
    [InlineData("+7 812 3893298")]
    [InlineData("+1 650 253 0000")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_valid_or_empty_phone_passes(string? phone)
    {
        var form = Valid();
        form.Phone = phone;

        var result = await Validator.ValidateAsync(form, NewEmployee);

        Assert.True(result.IsValid, string.Join(" ", result.Errors));
    }

    [Fact]
    public async Task An_existing_employee_may_leave_the_password_empty()
    {
        var form = Valid();
        form.Password = "";

        var result = await Validator.ValidateAsync(form, Existing);

        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task The_main_account_has_no_login_suffix_to_fill()
    {
        var form = Valid();
        form.LoginSuffix = "";

        var result = await Validator.ValidateAsync(form, MainAccount);

        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task An_employee_may_have_no_e_mail_and_no_position()
    {
        var form = Valid();
        form.Email = null;
        form.Position = null;

        var result = await Validator.ValidateAsync(form, NewEmployee);

        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task Only_the_named_property_is_checked_when_asked()
    {
        var form = Valid();
        form.Name = "";
        form.Phone = "abc";

        var result = await Validator.ValidateAsync(form, NewEmployee, default, nameof(EmployeeForm.Phone));

        Assert.Equal(["Phone"], result.Errors.Select(e => e.PropertyName));
    }

    [Fact]
    public async Task Validating_without_the_rule_context_is_a_programming_error()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Validator.ValidateAsync(Valid()));
    }

    private static EmployeeForm Valid() => new()
    {
        Name = "Иван Петров",
        LoginSuffix = "ivan.petrov-2_x",
        Password = "secret123",
        Phone = "+7 921 555-00-00",
        Email = "ivan@example.com",
        Position = "Менеджер",
        Projects = [new ProjectAccessForm { ProjectId = 1, HasAccess = true, Sections = ProjectSections.Leads }],
    };
}
