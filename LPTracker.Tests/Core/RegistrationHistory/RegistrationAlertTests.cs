using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Notifications;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Tests.Core.RegistrationHistory;

/// <summary>
/// From the registrar's events to the bell, through both pumps on real SQLite (decision 0081): offline phones told
/// one by one or as one summary per account and window, bans still told, and history never waiting for notifications.
/// </summary>
public sealed class RegistrationAlertTests : IAsyncDisposable
{
    /// <summary>Monday 13:00 in Moscow: within the default working day.</summary>
    private static readonly DateTime Monday = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);

    private CoreTestHost _host = null!;
    private List<IHostedService> _pumps = [];

    private IRegistrationEvents Events => _host.Get<IRegistrationEvents>();

    private NotificationFeed Feed => _host.Get<NotificationFeed>();

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(3, 3, 0)]
    [InlineData(4, 0, 4)]
    public async Task Offline_phones_of_one_window_are_told_by_name_up_to_three_and_beyond_as_one_summary(int phones, int individual, int summarised)
    {
        await StartAsync();
        var owner = await _host.SignUpAsync();
        var working = await AddWorkingAsync(owner, phones);

        foreach (var id in working)
        {
            Events.Transition(Offline(owner.AccountId, id, Monday));
        }

        var page = await BellAsync(owner);
        Assert.Equal(individual, page.Items.Count(i => i.Kind == NotificationKinds.PhoneOffline));
        Assert.Equal(summarised > 0 ? [summarised.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [],
            page.Items.Where(i => i.Kind == NotificationKinds.PhonesOffline).Select(i => i.Args[0]));
        Assert.Equal(phones, await HistoryCountAsync());
    }

    [Fact]
    public async Task An_office_losing_two_hundred_phones_at_once_is_one_summary_per_administrator_and_one_bell_push_each()
    {
        await StartAsync();
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        var working = await AddWorkingAsync(owner, 200);
        var pushes = new List<int>();
        var notifier = _host.Get<KeyedNotifier<NotificationChange>>();
        using var toOwner = notifier.Subscribe(owner.EmployeeId, c => { lock (pushes) { pushes.Add(c.RecipientEmployeeId); } });
        using var toAdmin = notifier.Subscribe(admin.EmployeeId, c => { lock (pushes) { pushes.Add(c.RecipientEmployeeId); } });

        foreach (var id in working)
        {
            Events.Transition(Offline(owner.AccountId, id, Monday));
        }

        foreach (var recipient in new[] { owner, admin })
        {
            var item = Assert.Single((await BellAsync(recipient)).Items);
            Assert.Equal((NotificationKinds.PhonesOffline, "200"), (item.Kind, item.Args[0]));
        }

        lock (pushes)
        {
            Assert.Equal(new[] { owner.EmployeeId, admin.EmployeeId }.Order(), pushes.Order());
        }

        Assert.Equal(200, await HistoryCountAsync());
    }

    [Fact]
    public async Task Accounts_of_one_window_are_told_each_on_its_own()
    {
        await StartAsync();
        var few = await _host.SignUpAsync();
        var many = await _host.SignUpAsync();
        var fewPhones = await AddWorkingAsync(few, 2);
        var manyPhones = await AddWorkingAsync(many, 10);

        foreach (var (account, id) in fewPhones.Select(id => (few.AccountId, id)).Concat(manyPhones.Select(id => (many.AccountId, id))))
        {
            Events.Transition(Offline(account, id, Monday));
        }

        Assert.Equal([NotificationKinds.PhoneOffline, NotificationKinds.PhoneOffline], (await BellAsync(few)).Items.Select(i => i.Kind));
        Assert.Equal("10", Assert.Single((await BellAsync(many)).Items).Args[0]);
    }

    [Fact]
    public async Task Only_Working_employees_phones_going_offline_within_the_working_day_are_told()
    {
        await StartAsync();
        var owner = await _host.SignUpAsync();
        var ids = await AddWorkingAsync(owner, 4);
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            await db.Memberships.Where(m => m.EmployeeId == ids[3]).ExecuteUpdateAsync(s => s.SetProperty(m => m.TakesCalls, false));
        }

        var evening = new DateTime(2026, 11, 30, 17, 0, 0, DateTimeKind.Utc); // 20:00 in Moscow: the working day's end
        Events.Transition(Offline(owner.AccountId, ids[0], evening.AddSeconds(-1)));
        Events.Transition(Offline(owner.AccountId, ids[1], evening));
        Events.Transition(Offline(owner.AccountId, ids[2], Monday.AddDays(-2)));   // Saturday
        Events.Transition(Offline(owner.AccountId, ids[3], Monday));               // takes no calls: not Working

        var item = Assert.Single((await BellAsync(owner)).Items);
        Assert.Equal((NotificationKinds.PhoneOffline, ids[0]), (item.Kind, item.SubjectEmployeeId));
    }

    [Fact]
    public async Task A_ban_is_still_told_beside_a_summary_of_the_same_window()
    {
        await StartAsync();
        var owner = await _host.SignUpAsync();
        foreach (var id in await AddWorkingAsync(owner, 5))
        {
            Events.Transition(Offline(owner.AccountId, id, Monday));
        }

        Events.Banned(new RegistrarBanEvent(owner.AccountId, null, "198.51.100.7", "scan", Monday.AddMinutes(10), Monday));

        var page = await BellAsync(owner, items: 2);
        Assert.Equal([NotificationKinds.AddressBanned, NotificationKinds.PhonesOffline], page.Items.Select(i => i.Kind).Order());
        Assert.Equal(["198.51.100.7", "@Notification.BanReason.scan"], page.Items.Single(i => i.Kind == NotificationKinds.AddressBanned).Args);
    }

    [Fact]
    public async Task History_keeps_up_with_a_thousand_changes_a_second_while_notifications_are_slow()
    {
        // Every notification raise takes half a second (a slow or locked database for the bell). Before decision 0081
        // the history pump raised them between its batches and its queue of 1,000 overflowed within a second or two.
        await StartAsync(services =>
        {
            services.Configure<RegistrationHistoryOptions>(o => o.QueueCapacity = 1000);
            services.Replace(ServiceDescriptor.Singleton<IAdminNotifications>(sp => new SlowNotifications(sp.GetRequiredService<AdminNotifications>())));
        });
        var owner = await _host.SignUpAsync();
        var working = await AddWorkingAsync(owner, 30);

        for (var burst = 0; burst < 30; burst++)
        {
            for (var i = 0; i < 100; i++)
            {
                var n = burst * 100 + i;
                Events.Transition(new RegistrationTransition(owner.AccountId, working[n % 30], Online: n / 30 % 2 == 1,
                    RegistrationReason.Expired, Monday.AddMilliseconds(n), "phone", "127.0.0.1:5060", "UDP"));
            }

            await Task.Delay(100);
        }

        await Eventually.TrueAsync(async () => await HistoryCountAsync() == 3000, "3,000 transitions in the history", TimeSpan.FromSeconds(60));
        Assert.Equal(0, _host.Get<RegistrationEventSink>().Dropped);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pump in _pumps)
        {
            await pump.StopAsync(CancellationToken.None);
        }

        await _host.DisposeAsync();
    }

    private async Task StartAsync(Action<IServiceCollection>? configure = null)
    {
        _host = await CoreTestHost.StartAsync(b =>
        {
            b.Services.Configure<NotificationOptions>(o => o.OfflineWindow = TimeSpan.FromMilliseconds(300));
            configure?.Invoke(b.Services);
        });
        _pumps = _host.Services.GetServices<IHostedService>().Where(s => s is RegistrationEventPump or RegistrationAlertPump).ToList();
        foreach (var pump in _pumps)
        {
            await pump.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>The caller's bell once it holds at least <paramref name="items"/> notifications, and a window later
    /// (so that a wrong extra notification would show).</summary>
    private async Task<NotificationPage> BellAsync(CallerContext caller, int items = 1)
    {
        await Eventually.TrueAsync(async () => (await Feed.GetAsync(caller)).Items.Count >= items, "the bell", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        return await Feed.GetAsync(caller);
    }

    /// <summary>History rows, counting the transitions folded into them (decision 0029).</summary>
    private async Task<int> HistoryCountAsync()
    {
        await using var db = _host.OpenSystemContext();
        var rows = await db.RegistrationEntries.IgnoreQueryFilters().Select(r => r.Folded).ToListAsync();
        return rows.Count + rows.Sum();
    }

    /// <summary>Working employees (on, taking calls in the first project) in bulk: <see cref="CoreTestHost.AddEmployeeAsync"/>
    /// hashes a password each, too slow for two hundred.</summary>
    private async Task<List<int>> AddWorkingAsync(CallerContext owner, int count)
    {
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync();
        var project = await db.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        var employees = Enumerable.Range(1, count).Select(i =>
        {
            var e = new Employee
            {
                AccountId = owner.AccountId, Name = $"Сотрудник {i:D3}", Login = LoginRules.Compose(number, $"w{i}"), PasswordHash = "x",
                CreatedUtc = Monday,
            };
            e.RefreshSearchText();
            e.Memberships.Add(new ProjectMembership { ProjectId = project, AccountId = owner.AccountId, HasAccess = true, TakesCalls = true });
            return e;
        }).ToList();
        db.Employees.AddRange(employees);
        await db.SaveChangesAsync();
        return employees.Select(e => e.Id).ToList();
    }

    private static RegistrationTransition Offline(int accountId, int employeeId, DateTime atUtc) =>
        new(accountId, employeeId, Online: false, RegistrationReason.Unregistered, atUtc, "phone", "127.0.0.1:5060", "UDP");

    /// <summary>The real notifications behind a half-second wait per raise.</summary>
    private sealed class SlowNotifications(AdminNotifications inner) : IAdminNotifications
    {
        public async Task RaiseAsync(int accountId, string kind, NotificationSubject subject, params string[] args)
        {
            await Task.Delay(500);
            await inner.RaiseAsync(accountId, kind, subject, args);
        }

        public async Task RaiseAllAsync(int accountId, IReadOnlyCollection<NotificationRaise> raises)
        {
            await Task.Delay(500);
            await inner.RaiseAllAsync(accountId, raises);
        }
    }
}
