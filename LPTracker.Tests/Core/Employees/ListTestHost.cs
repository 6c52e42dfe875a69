using LPTracker.Tests.Infrastructure;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Core.Employees;

/// <summary>
/// A <see cref="CoreTestHost"/> (real Core services over a temporary SQLite file, test clock) with presence set by
/// hand, and arranging helpers for the list's tests.
/// </summary>
internal sealed class ListTestHost : IAsyncDisposable
{
    private static int _logins;
    private readonly CoreTestHost _core;

    private ListTestHost(CoreTestHost core, FakePresence presence, CommandCounter commands)
    {
        _core = core;
        Presence = presence;
        Commands = commands;
    }

    /// <summary>The underlying host, for a <see cref="ConsoleBunitContext"/>.</summary>
    public CoreTestHost Core => _core;

    public string Folder => _core.DataFolder;

    public IServiceProvider Services => _core.Services;

    public FakeTimeProvider Time => _core.Time;

    public FakePresence Presence { get; }

    /// <summary>Every database command the host's services create.</summary>
    public CommandCounter Commands { get; }

    public EmployeeListService List => Services.GetRequiredService<EmployeeListService>();

    public ChangeNotifier Notifier => Services.GetRequiredService<ChangeNotifier>();

    public IStringLocalizer L => Services.GetRequiredService<IStringLocalizer<EmployeeListService>>();

    public string PhotosFolder => Path.Combine(Folder, "photos");

    public static async Task<ListTestHost> CreateAsync(bool postgres = false)
    {
        var presence = new FakePresence();
        var commands = new CommandCounter();
        var core = await CoreTestHost.StartAsync(b =>
        {
            b.Services.Replace(ServiceDescriptor.Singleton<ISipPresenceSource>(presence));
            b.Services.ConfigureDbContext<LptrackerDbContext>(o => o.AddInterceptors(commands));
        }, postgres);
        return new ListTestHost(core, presence, commands);
    }

    /// <summary>Signs up a new account; returns its main account as a caller.</summary>
    public Task<CallerContext> SignUpAsync() => _core.SignUpAsync();

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

    public ValueTask DisposeAsync() => _core.DisposeAsync();
}

/// <summary>Presence the test sets by hand; anyone not set is Disconnected.</summary>
internal sealed class FakePresence : ISipPresenceSource
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, SipPresence> _byEmployee = new();

    public SipPresence Get(int employeeId) =>
        _byEmployee.TryGetValue(employeeId, out var p) ? p : new SipPresence(SipStatus.Disconnected);

    public void Set(int employeeId, SipPresence presence) => _byEmployee[employeeId] = presence;
}
