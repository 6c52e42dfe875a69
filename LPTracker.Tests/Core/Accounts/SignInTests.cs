using LPTracker.Core.Accounts;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Accounts;

public sealed class SignInTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SignInService SignIn => _host.Get<SignInService>();

    [Fact]
    public async Task The_main_account_signs_in_with_its_email_in_any_case_and_its_last_login_is_recorded()
    {
        var owner = await _host.SignUpAsync("boss@example.com");

        var result = await SignIn.SignInAsync(" BOSS@example.com ", "secret123");

        Assert.Equal(SignInStatus.Succeeded, result.Status);
        Assert.Equal(owner.EmployeeId, result.Employee!.EmployeeId);
        await using var db = _host.OpenSystemContext();
        var main = await db.Employees.IgnoreQueryFilters().SingleAsync(e => e.Id == owner.EmployeeId);
        Assert.Equal(_host.Time.GetUtcNow().UtcDateTime, main.LastLoginUtc);
    }

    [Fact]
    public async Task An_employee_signs_in_with_the_account_number_prefixed_login()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");

        var result = await SignIn.SignInAsync("10001_ivan", "secret123");

        Assert.Equal(SignInStatus.Succeeded, result.Status);
        Assert.Equal(ivan.EmployeeId, result.Employee!.EmployeeId);
    }

    [Theory]
    [InlineData("10001_ivan", "wrong-password1")]
    [InlineData("10001_nobody", "secret123")]
    [InlineData("", "secret123")]
    [InlineData("10001_ivan", "")]
    [InlineData("иван петров", "secret123")]
    public async Task Wrong_or_unknown_credentials_are_refused_alike(string login, string password)
    {
        var owner = await _host.SignUpAsync();
        await _host.AddEmployeeAsync(owner, "ivan");

        var result = await SignIn.SignInAsync(login, password);

        Assert.Equal(SignInStatus.InvalidCredentials, result.Status);
        Assert.Null(result.Employee);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_login_for_fifteen_minutes_even_for_the_right_password()
    {
        var owner = await _host.SignUpAsync();
        await _host.AddEmployeeAsync(owner, "ivan");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SignInStatus.InvalidCredentials, (await SignIn.SignInAsync("10001_ivan", "wrong-password1")).Status);
        }

        var fifth = await SignIn.SignInAsync("10001_ivan", "wrong-password1");
        var right = await SignIn.SignInAsync("10001_ivan", "secret123");

        Assert.Equal(SignInStatus.LockedOut, fifth.Status);
        Assert.Equal(SignInStatus.LockedOut, right.Status);
        Assert.Equal(_host.Time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(15), right.LockedUntilUtc);
    }

    [Fact]
    public async Task A_locked_login_signs_in_again_after_fifteen_minutes()
    {
        var owner = await _host.SignUpAsync();
        await _host.AddEmployeeAsync(owner, "ivan");
        for (var i = 0; i < 5; i++)
        {
            await SignIn.SignInAsync("10001_ivan", "wrong-password1");
        }

        _host.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var result = await SignIn.SignInAsync("10001_ivan", "secret123");

        Assert.Equal(SignInStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task A_session_stops_being_valid_when_the_security_stamp_changes_or_the_employee_is_deleted()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var session = (await SignIn.SignInAsync("10001_ivan", "secret123")).Employee!;
        Assert.True(await SignIn.IsSessionValidAsync(ivan.EmployeeId, session.SecurityStamp));

        await using (var db = _host.OpenSystemContext())
        {
            var e = await db.Employees.IgnoreQueryFilters().SingleAsync(x => x.Id == ivan.EmployeeId);
            e.SecurityStamp = Guid.NewGuid().ToString("N");
            await db.SaveChangesAsync();
        }

        Assert.False(await SignIn.IsSessionValidAsync(ivan.EmployeeId, session.SecurityStamp));
        Assert.False(await SignIn.IsSessionValidAsync(ivan.EmployeeId + 1000, session.SecurityStamp));
    }
}
