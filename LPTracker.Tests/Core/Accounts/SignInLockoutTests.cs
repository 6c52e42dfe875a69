using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Core.Accounts;

/// <summary>Issue 10, item 4: unknown and known logins are indistinguishable, and a stranger locks only themselves.</summary>
public sealed class SignInLockoutTests : IAsyncLifetime
{
    private const string Stranger = "203.0.113.7";
    private const string Office = "198.51.100.20";

    private readonly CountingHasher _hasher = new();
    private CoreTestHost _host = null!;
    private string _login = "";

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(b => b.Services.AddSingleton<IPasswordHasher<Employee>>(_hasher));
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        _login = (await _host.FindEmployeeAsync(ivan.EmployeeId))!.Login;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SignInService SignIn => _host.Get<SignInService>();

    private async Task<List<SignInStatus>> FailSixTimesAsync(string login, string address)
    {
        var statuses = new List<SignInStatus>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await SignIn.SignInAsync(login, "wrong-password1", address)).Status);
        }

        return statuses;
    }

    [Fact]
    public async Task An_unknown_login_locks_exactly_like_a_known_one()
    {
        var known = await FailSixTimesAsync(_login, Stranger);
        var unknown = await FailSixTimesAsync("10001_nobody", Stranger);

        Assert.Equal(known, unknown);
        Assert.Equal(SignInStatus.LockedOut, unknown[^1]);
    }

    [Fact]
    public async Task Every_answer_costs_one_password_hash_whether_the_login_exists_or_is_locked()
    {
        await FailSixTimesAsync(_login, Stranger);
        await FailSixTimesAsync("10001_nobody", Stranger);
        _hasher.Verifications = 0;

        await SignIn.SignInAsync(_login, "wrong-password1", Stranger);
        await SignIn.SignInAsync("10001_nobody", "wrong-password1", Stranger);
        await SignIn.SignInAsync(_login, "wrong-password1", Office);
        await SignIn.SignInAsync("10001_nobody2", "wrong-password1", Office);

        Assert.Equal(4, _hasher.Verifications);
    }

    [Fact]
    public async Task A_stranger_who_locks_a_login_does_not_lock_its_owner_out()
    {
        await FailSixTimesAsync(_login, Stranger);

        var owner = await SignIn.SignInAsync(_login, "secret123", Office);
        var stranger = await SignIn.SignInAsync(_login, "secret123", Stranger);

        Assert.Equal(SignInStatus.Succeeded, owner.Status);
        Assert.Equal(SignInStatus.LockedOut, stranger.Status);
    }

    [Fact]
    public async Task Failures_further_apart_than_the_lock_lasts_do_not_add_up()
    {
        for (var i = 0; i < 4; i++)
        {
            await SignIn.SignInAsync(_login, "wrong-password1", Stranger);
        }

        _host.Time.Advance(SignInService.LockoutDuration + TimeSpan.FromMinutes(1));
        var fifth = await SignIn.SignInAsync(_login, "wrong-password1", Stranger);

        Assert.Equal(SignInStatus.InvalidCredentials, fifth.Status);
    }

    private sealed class CountingHasher : IPasswordHasher<Employee>
    {
        private readonly PasswordHasher<Employee> _inner = new();

        public int Verifications { get; set; }

        public string HashPassword(Employee user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Employee user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
