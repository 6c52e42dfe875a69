using LPTracker.Core;
using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// The real Core services over a real SQLite file in a temp folder, with a fake clock. One per test class
/// (or per test) — nothing shared, so tests run in parallel.
/// </summary>
public sealed class CoreTestHost : IAsyncDisposable
{
    private readonly TempFolder _folder;

    private CoreTestHost(ServiceProvider services, FakeTimeProvider time, TempFolder folder, IServiceCollection descriptors)
    {
        Services = services;
        Descriptors = descriptors;
        Time = time;
        _folder = folder;
    }

    public IServiceProvider Services { get; }

    /// <summary>What was registered, so a bUnit context can share the same singletons.</summary>
    public IServiceCollection Descriptors { get; }

    public FakeTimeProvider Time { get; }

    public string DataFolder => _folder.Path;

    /// <summary>Starts the Core over a SQLite file, or over an empty database of its own on the run's private
    /// PostgreSQL when <paramref name="postgres"/> is set.</summary>
    public static async Task<CoreTestHost> StartAsync(Action<IHostApplicationBuilder>? configure = null, bool postgres = false)
    {
        var folder = new TempFolder();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:Lptracker"] = postgres
                ? await (await PostgresTestServer.SharedAsync()).CreateDatabaseAsync()
                : $"Data Source={Path.Combine(folder.Path, "test.db")}",
            ["DataFolder"] = folder.Path,
        });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLogging();
        builder.AddCore();
        configure?.Invoke(builder);
        var services = builder.Services.BuildServiceProvider();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new CoreTestHost(services, time, folder, builder.Services);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Signs up a new account; returns the main account as a caller.</summary>
    public async Task<CallerContext> SignUpAsync(string email = "", string company = "ООО Тест")
    {
        var address = string.IsNullOrEmpty(email) ? $"owner-{Guid.NewGuid():N}@example.com" : email;
        var result = await Get<AccountService>().SignUpAsync(new SignUpRequest { CompanyName = company, Email = address, Password = "secret123" });
        Assert.True(result.Succeeded, result.Summary);
        return new CallerContext(result.Value!.AccountId, result.Value.EmployeeId);
    }

    /// <summary>Adds an employee directly (for arranging tests); returns it as a caller.</summary>
    public async Task<CallerContext> AddEmployeeAsync(
        CallerContext owner, string suffix, CommonSections sections = CommonSections.None, bool projectAccess = true,
        string password = "secret123", string? name = null)
    {
        await using var db = await Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync();
        var project = await db.Projects.OrderBy(p => p.Id).FirstAsync();
        var employee = new Employee
        {
            AccountId = owner.AccountId,
            Name = name ?? suffix,
            Login = LoginRules.Compose(number, suffix),
            CommonSections = sections,
            CreatedUtc = Time.GetUtcNow().UtcDateTime,
            CurrentProjectId = project.Id,
        };
        employee.PasswordHash = Get<Microsoft.AspNetCore.Identity.IPasswordHasher<Employee>>().HashPassword(employee, password);
        employee.RefreshSearchText();
        employee.Memberships.Add(new ProjectMembership
        {
            ProjectId = project.Id, AccountId = owner.AccountId, HasAccess = projectAccess, TakesCalls = true,
            Sections = ProjectSections.Leads,
        });
        db.Employees.Add(employee);
        await db.SaveChangesAsync();
        return new CallerContext(owner.AccountId, employee.Id);
    }

    /// <summary>A context that sees every account (for assertions about isolation).</summary>
    public LptrackerDbContext OpenSystemContext() => Get<IDbContextFactory<LptrackerDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        var config = Get<IConfiguration>();
        var postgres = config["Database:Provider"] == "Postgres" ? config.GetConnectionString("Lptracker") : null;
        if (Services is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (postgres is not null)
        {
            // Idle pooled connections would hold server slots until the run ends.
            await using var connection = new Npgsql.NpgsqlConnection(postgres);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }

        _folder.Dispose();
    }
}
