using System.Net;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.Auth;

/// <summary>Open sessions end when the employee is deleted or its password changes (security stamp).</summary>
public sealed class SessionRevalidationTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<(HttpClient Client, int EmployeeId, int AccountId)> SignedInEmployeeAsync()
    {
        var (owner, _) = await app.SignUpAsync();
        await using var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync();
        var login = $"{number}_petr";
        var employee = new Employee { AccountId = owner.AccountId, Name = "Пётр", Login = login, CommonSections = CommonSections.Employees };
        employee.PasswordHash = app.Get<Microsoft.AspNetCore.Identity.IPasswordHasher<Employee>>().HashPassword(employee, "secret123");
        employee.RefreshSearchText();
        db.Employees.Add(employee);
        await db.SaveChangesAsync();
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, login, "secret123");
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        return (client, employee.Id, owner.AccountId);
    }

    [Fact]
    public async Task A_signed_in_employee_opens_the_console()
    {
        var (client, _, _) = await SignedInEmployeeAsync();

        using var response = await client.GetAsync("/employees");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task A_deleted_employees_session_ends_on_the_next_request()
    {
        var (client, employeeId, accountId) = await SignedInEmployeeAsync();
        await using (var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId))
        {
            await db.Employees.Where(e => e.Id == employeeId).ExecuteDeleteAsync();
        }

        using var response = await client.GetAsync("/employees");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task A_password_change_ends_the_employees_other_sessions()
    {
        var (client, employeeId, accountId) = await SignedInEmployeeAsync();
        await using (var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId))
        {
            var e = await db.Employees.SingleAsync(x => x.Id == employeeId);
            e.SecurityStamp = Guid.NewGuid().ToString("N");
            await db.SaveChangesAsync();
        }

        using var response = await client.GetAsync("/employees");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_gets_the_no_access_page_for_a_typed_url()
    {
        var (client, employeeId, accountId) = await SignedInEmployeeAsync();
        await using (var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId))
        {
            var e = await db.Employees.SingleAsync(x => x.Id == employeeId);
            e.CommonSections = CommonSections.None;
            await db.SaveChangesAsync();
        }

        var html = await client.GetStringAsync("/pbx/numbers");
        var employees = await client.GetStringAsync("/employees");

        Assert.Contains("data-testid=\"no-access\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-access\"", employees, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"employee-grid\"", employees, StringComparison.Ordinal);
        client.Dispose();
    }
}

/// <summary>A fresh installation opens on sign-up; once an account exists, on sign-in.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task An_empty_installation_sends_visitors_to_sign_up_and_then_to_sign_in()
    {
        var app = new WebAppFixture();
        await app.InitializeAsync();
        try
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

            using var empty = await http.GetAsync("/account/login");
            await app.SignUpAsync();
            using var after = await http.GetAsync("/account/login");

            Assert.Equal(HttpStatusCode.Redirect, empty.StatusCode);
            Assert.Equal("/account/signup", empty.Headers.Location!.AbsolutePath);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
