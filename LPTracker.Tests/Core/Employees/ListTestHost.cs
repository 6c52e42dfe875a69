using LPTracker.Core;
using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Core.Employees;

/// <summary>The real Core services over a temporary SQLite file, with a test clock and presence.</summary>
internal sealed class ListTestHost : IAsyncDisposable
{
    private static int _logins;

    private ListTestHost(string folder, ServiceProvider services, FakeTimeProvider time, FakePresence presence)
    {
        Folder = folder;
        Services = services;
        Time = time;
        Presence = presence;
    }

    public string Folder { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public FakePresence Presence { get; }

    public EmployeeListService List => Services.GetRequiredService<EmployeeListService>();

    public ChangeNotifier Notifier => Services.GetRequiredService<ChangeNotifier>();

    public IStringLocalizer L => Services.GetRequiredService<IStringLocalizer<EmployeeListService>>();

    public string PhotosFolder => Path.Combine(Folder, "photos");

    public static async Task<ListTestHost> CreateAsync(Action<IServiceCollection>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lpt-list-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder });
        builder.Configuration["ConnectionStrings:Lptracker"] = $"Data Source={Path.Combine(folder, "test.db")}";
        builder.Configuration["DataFolder"] = folder;
        builder.Services.AddLogging();
        builder.Services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(
            new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var presence = new FakePresence();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ISipPresenceSource>(presence);
        builder.AddCore();
        configure?.Invoke(builder.Services);
        var created = new ListTestHost(folder, builder.Services.BuildServiceProvider(), time, presence);
        await created.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return created;
    }

    /// <summary>Signs up a new account; returns its main account as a caller.</summary>
    public async Task<CallerContext> SignUpAsync(string company = "ООО Тест")
    {
        var email = $"main{Interlocked.Increment(ref _logins)}-{Guid.NewGuid():N}@test.local";
        var result = await Services.GetRequiredService<AccountService>().SignUpAsync(new SignUpRequest
        {
            CompanyName = company, Email = email, Password = "secret123",
        });
        Assert.True(result.Succeeded, result.Summary);
        return new CallerContext(result.Value!.AccountId, result.Value.EmployeeId);
    }

    public async Task<LptrackerDbContext> DbAsync(int accountId) =>
        await Services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId);

    public async Task<int> FirstProjectAsync(int accountId)
    {
        await using var db = await DbAsync(accountId);
        return await db.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
    }

    public async Task<int> AddProjectAsync(int accountId, string name)
    {
        await using var db = await DbAsync(accountId);
        var project = new LPTracker.Core.Projects.Project { AccountId = accountId, Name = name, CreatedUtc = Time.GetUtcNow().UtcDateTime };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    /// <summary>Adds an employee; <paramref name="projects"/> maps project id → (access, takes calls).</summary>
    public async Task<int> AddEmployeeAsync(
        int accountId,
        string name,
        Dictionary<int, (bool Access, bool TakesCalls)>? projects = null,
        bool enabled = true,
        CommonSections sections = CommonSections.None,
        string? position = null,
        string? phone = null,
        string? email = null,
        DateTime? lastLoginUtc = null,
        bool sip = false,
        string? photo = null,
        string? login = null)
    {
        await using var db = await DbAsync(accountId);
        var e = new Employee
        {
            AccountId = accountId, Name = name, Login = login ?? $"{accountId}_u{Interlocked.Increment(ref _logins)}",
            PasswordHash = "x", Position = position, Phone = phone, Email = email, IsEnabled = enabled,
            CommonSections = sections, LastLoginUtc = lastLoginUtc, CreatedUtc = Time.GetUtcNow().UtcDateTime,
            PhotoFile = photo,
        };
        e.RefreshSearchText();
        foreach (var (projectId, flags) in projects ?? [])
        {
            e.Memberships.Add(new ProjectMembership
            {
                ProjectId = projectId, AccountId = accountId, HasAccess = flags.Access, TakesCalls = flags.TakesCalls,
            });
        }

        db.Employees.Add(e);
        await db.SaveChangesAsync();
        if (sip)
        {
            db.SipAccounts.Add(new SipAccount
            {
                EmployeeId = e.Id, AccountId = accountId, UserName = $"sip{e.Id}-{Guid.NewGuid():N}", Ha1Md5 = "x",
                Ha1Sha256 = "x", ProtectedPassword = "x", Realm = "test",
            });
            db.SipBindings.Add(new SipBinding
            {
                EmployeeId = e.Id, AccountId = accountId, UserName = $"sip{e.Id}", ContactUri = "sip:a@127.0.0.1",
                CallId = "c", RemoteEndPoint = "udp:127.0.0.1:5062", ExpiresUtc = Time.GetUtcNow().UtcDateTime.AddHours(1),
            });
            await db.SaveChangesAsync();
        }

        return e.Id;
    }

    public async Task<Employee?> FindAsync(int accountId, int employeeId)
    {
        await using var db = await DbAsync(accountId);
        return await db.Employees.AsNoTracking().Include(e => e.Memberships).SingleOrDefaultAsync(e => e.Id == employeeId);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A lingering handle on a temp folder is not worth failing a test for.
        }
    }
}

/// <summary>Presence the test sets by hand; anyone not set is Disconnected.</summary>
internal sealed class FakePresence : ISipPresenceSource
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, SipPresence> _byEmployee = new();

    public SipPresence Get(int employeeId) =>
        _byEmployee.TryGetValue(employeeId, out var p) ? p : new SipPresence(SipStatus.Disconnected);

    public void Set(int employeeId, SipPresence presence) => _byEmployee[employeeId] = presence;
}
