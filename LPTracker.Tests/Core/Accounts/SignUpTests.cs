using System.Globalization;
using LPTracker.Core.Accounts;
using LPTracker.Core.Permissions;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Accounts;

public sealed class SignUpTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sign_up_signs_the_owner_in_so_the_last_login_is_now_not_never()
    {
        var request = new SignUpRequest { CompanyName = "ООО Ромашка", Email = "boss@example.com", Password = "secret123" };

        await _host.Get<AccountService>().SignUpAsync(request);

        await using var db = _host.OpenSystemContext();
        var main = await db.Employees.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(_host.Time.GetUtcNow().UtcDateTime, main.LastLoginUtc);
    }

    [Fact]
    public async Task Sign_up_creates_the_account_its_main_account_and_a_first_project()
    {
        var request = new SignUpRequest { CompanyName = "ООО Ромашка", Email = "Boss@Example.com", Password = "secret123" };

        var result = await _host.Get<AccountService>().SignUpAsync(request);

        Assert.True(result.Succeeded, result.Summary);
        await using var db = _host.OpenSystemContext();
        var account = await db.Accounts.IgnoreQueryFilters().SingleAsync();
        var main = await db.Employees.IgnoreQueryFilters().Include(e => e.Memberships).SingleAsync();
        var project = await db.Projects.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(AccountNumbers.First, account.Number);
        Assert.Equal("ООО Ромашка", account.CompanyName);
        Assert.True(main.IsMain);
        Assert.Equal("Boss@Example.com", main.Login);
        Assert.Equal(CommonSections.All, main.CommonSections);
        Assert.Equal(EmployeePermissions.All, main.Permissions);
        Assert.Equal("Проект 1", project.Name);
        Assert.Equal(project.Id, Assert.Single(main.Memberships).ProjectId);
    }

    [Fact]
    public async Task Each_sign_up_gets_the_next_account_number()
    {
        var first = await _host.SignUpAsync();

        var second = await _host.SignUpAsync();

        await using var db = _host.OpenSystemContext();
        var numbers = await db.Accounts.IgnoreQueryFilters().OrderBy(a => a.Id).Select(a => a.Number).ToListAsync();
        Assert.Equal([AccountNumbers.First, AccountNumbers.First + 1], numbers);
        Assert.NotEqual(first.AccountId, second.AccountId);
    }

    [Fact]
    public async Task A_duplicate_email_in_any_case_is_refused_and_nothing_is_saved()
    {
        await _host.SignUpAsync("owner@example.com");

        var result = await _host.Get<AccountService>().SignUpAsync(
            new SignUpRequest { CompanyName = "Другая", Email = "OWNER@example.com", Password = "secret123" });

        Assert.False(result.Succeeded);
        Assert.NotNull(result.ErrorFor(nameof(SignUpRequest.Email)));
        await using var db = _host.OpenSystemContext();
        Assert.Equal(1, await db.Accounts.IgnoreQueryFilters().CountAsync());
    }

    public static TheoryData<string, string, string, string> BadInput => new()
    {
        { "", "owner@example.com", "secret123", nameof(SignUpRequest.CompanyName) },
        { new string('x', 10_240), "owner@example.com", "secret123", nameof(SignUpRequest.CompanyName) },
        { "ООО", "not-an-email", "secret123", nameof(SignUpRequest.Email) },
        { "ООО", new string('a', 10_240) + "@example.com", "secret123", nameof(SignUpRequest.Email) },
        { "ООО", "", "secret123", nameof(SignUpRequest.Email) },
        { "ООО", "owner@example.com", "", nameof(SignUpRequest.Password) },
        { "ООО", "owner@example.com", "short", nameof(SignUpRequest.Password) },
        { "ООО", "owner@example.com", "lettersonly", nameof(SignUpRequest.Password) },
        { "ООО", "owner@example.com", new string('a', 10_240) + "1", nameof(SignUpRequest.Password) },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_sign_up_input_gets_an_error_on_its_field_and_saves_nothing(string company, string email, string password, string field)
    {
        var result = await _host.Get<AccountService>().SignUpAsync(new SignUpRequest { CompanyName = company, Email = email, Password = password });

        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.ErrorFor(field)));
        await using var db = _host.OpenSystemContext();
        Assert.Equal(0, await db.Accounts.IgnoreQueryFilters().CountAsync());
    }

    [Theory]
    [InlineData("ru-RU", "Заполните это поле.")]
    [InlineData("en-US", "This field is required.")]
    public async Task Sign_up_errors_are_in_the_user_interface_language(string culture, string expected)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);

        var result = await _host.Get<AccountService>().SignUpAsync(new SignUpRequest { CompanyName = " ", Email = "a@b.ru", Password = "secret123" });

        Assert.Equal(expected, result.ErrorFor(nameof(SignUpRequest.CompanyName)));
    }

    [Fact]
    public async Task Markup_in_a_company_name_is_stored_as_plain_text()
    {
        const string company = "<script>alert(1)</script>'; DROP TABLE Accounts;--";

        var result = await _host.Get<AccountService>().SignUpAsync(new SignUpRequest { CompanyName = company, Email = "x@example.com", Password = "secret123" });

        Assert.True(result.Succeeded);
        await using var db = _host.OpenSystemContext();
        Assert.Equal(company, (await db.Accounts.IgnoreQueryFilters().SingleAsync()).CompanyName);
    }
}
