using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Persistence;

/// <summary>Tenancy on SQLite; <see cref="TenantIsolationOnPostgresTests"/> runs the same facts on PostgreSQL.</summary>
public class TenantIsolationTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _a = null!;
    private CallerContext _b = null!;

    public async Task InitializeAsync()
    {
        _host = await StartHostAsync();
        _a = await _host.SignUpAsync("a@example.com");
        _b = await _host.SignUpAsync("b@example.com");
        await _host.AddEmployeeAsync(_b, "ivan");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    protected virtual Task<CoreTestHost> StartHostAsync() => CoreTestHost.StartAsync();

    private IDbContextFactory<LptrackerDbContext> Factory => _host.Get<IDbContextFactory<LptrackerDbContext>>();

    [Fact]
    public async Task A_tenant_context_sees_only_its_own_accounts_rows()
    {
        await using var db = await Factory.ForTenantAsync(_a.AccountId);

        var employees = await db.Employees.Select(e => e.AccountId).ToListAsync();
        var projects = await db.Projects.Select(p => p.AccountId).ToListAsync();
        var accounts = await db.Accounts.Select(a => a.Id).ToListAsync();

        Assert.Equal([_a.AccountId], employees);
        Assert.Equal([_a.AccountId], projects);
        Assert.Equal([_a.AccountId], accounts);
    }

    [Fact]
    public async Task A_context_without_a_tenant_sees_no_tenant_rows()
    {
        await using var db = await Factory.CreateDbContextAsync();

        var count = await db.Employees.CountAsync() + await db.Projects.CountAsync() + await db.Accounts.CountAsync();

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Another_accounts_employee_cannot_be_found_by_id()
    {
        await using var db = await Factory.ForTenantAsync(_a.AccountId);

        var found = await db.Employees.FindAsync(_b.EmployeeId) ?? await db.Employees.SingleOrDefaultAsync(e => e.Id == _b.EmployeeId);

        Assert.Null(found);
    }

    [Fact]
    public async Task Writing_another_accounts_row_through_a_tenant_context_is_refused()
    {
        await using var db = await Factory.ForTenantAsync(_a.AccountId);
        db.Projects.Add(new Project { AccountId = _b.AccountId, Name = "чужой" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task The_project_service_does_not_switch_to_rename_or_delete_another_accounts_project()
    {
        var service = _host.Get<ProjectService>();
        int foreign;
        await using (var db = await Factory.ForTenantAsync(_b.AccountId))
        {
            foreign = await db.Projects.Select(p => p.Id).SingleAsync();
        }

        var switched = await service.SetCurrentAsync(_a, foreign);
        var renamed = await service.RenameAsync(_a, foreign, "взлом");
        var deleted = await service.DeleteAsync(_a, foreign);

        Assert.False(switched.Succeeded);
        Assert.False(renamed.Succeeded);
        Assert.False(deleted.Succeeded);
        await using var check = await Factory.ForTenantAsync(_b.AccountId);
        Assert.Equal("Проект 1", (await check.Projects.SingleAsync()).Name);
    }

    [Fact]
    public async Task The_access_service_does_not_give_a_profile_for_an_employee_of_another_account()
    {
        var profile = await _host.Get<AccessService>().GetProfileAsync(new CallerContext(_a.AccountId, _b.EmployeeId));

        Assert.Null(profile);
    }

    [Fact]
    public async Task Employee_logins_are_unique_across_accounts()
    {
        await using var db = await Factory.ForTenantAsync(_a.AccountId);
        db.Employees.Add(new Employee { AccountId = _a.AccountId, Name = "x", Login = "b@example.com", NormalizedLogin = "b@example.com", PasswordHash = "x" });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}

/// <summary>The tenancy facts on a real PostgreSQL (the run's private server, a database of its own).</summary>
public sealed class TenantIsolationOnPostgresTests : TenantIsolationTests
{
    protected override Task<CoreTestHost> StartHostAsync() => CoreTestHost.StartAsync(postgres: true);
}
