using LPTracker.Core.Live;
using LPTracker.Core.Notifications;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Notifications;

/// <summary>The bell's API on real SQLite: recipients and tenancy, bounding, mark read, live delivery, retention.</summary>
public sealed class AdminNotificationsTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IAdminNotifications Notifications => _host.Get<IAdminNotifications>();

    private NotificationFeed Feed => _host.Get<NotificationFeed>();

    [Fact]
    public async Task Recipients_are_the_main_account_and_employees_section_holders_of_that_account_only()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        var plain = await _host.AddEmployeeAsync(owner, "plain", CommonSections.Telephony);
        var ivan = await _host.AddEmployeeAsync(owner, "ivan", name: "Иван Петров");
        var other = await _host.SignUpAsync();

        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.PhoneOffline, NotificationSubject.Employee(ivan.EmployeeId),
            "Иван Петров", NotificationText.Key("Registration.Reason.Expired"));

        foreach (var recipient in new[] { owner, admin })
        {
            var page = await Feed.GetAsync(recipient);
            Assert.Equal(1, page.Unread);
            var item = Assert.Single(page.Items);
            Assert.Equal((NotificationKinds.PhoneOffline, ivan.EmployeeId), (item.Kind, item.SubjectEmployeeId));
            Assert.Equal(["Иван Петров", "@Registration.Reason.Expired"], item.Args);
        }

        Assert.Equal(NotificationPage.Empty, await Feed.GetAsync(plain));
        Assert.Equal(NotificationPage.Empty, await Feed.GetAsync(ivan));
        Assert.Equal(0, (await Feed.GetAsync(other)).Unread);

        // Nobody of the other account got a row, whatever their rights.
        await using var db = _host.OpenSystemContext();
        Assert.Equal(0, await db.Notifications.IgnoreQueryFilters().CountAsync(n => n.AccountId == other.AccountId));
        Assert.Equal(2, await db.Notifications.IgnoreQueryFilters().CountAsync());
    }

    [Fact]
    public async Task The_tabs_told_of_one_change_share_one_load_that_shows_it_and_a_later_change_loads_again()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        var ivan = await _host.AddEmployeeAsync(owner, "ivan", name: "Иван Петров");
        var told = new List<NotificationChange>();
        using var subscription = _host.Get<KeyedNotifier<NotificationChange>>().Subscribe(owner.EmployeeId, c => { lock (told) { told.Add(c); } });

        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.PhoneOffline, NotificationSubject.Employee(ivan.EmployeeId), "Иван Петров", "x");
        var first = told.Single();
        var tabs = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Feed.GetAfterAsync(owner, first)));

        Assert.All(tabs, page => Assert.Same(tabs[0], page));
        Assert.Equal(1, tabs[0].Unread);

        // Another recipient (or a change not addressed to the caller) never gets the owner's shared page.
        Assert.Equal(NotificationPage.Empty, await Feed.GetAfterAsync(ivan, first));
        Assert.NotSame(tabs[0], await Feed.GetAfterAsync(admin, first));

        // A later change is a new load, which shows it.
        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.AddressBanned, NotificationSubject.Of("address:192.0.2.1"), "192.0.2.1", "x");
        var second = told.Last();
        Assert.NotSame(first, second);
        Assert.Equal(2, (await Feed.GetAfterAsync(owner, second)).Unread);
        Assert.Same(tabs[0], await Feed.GetAfterAsync(owner, first));
    }

    [Fact]
    public async Task About_the_main_account_only_the_main_account_is_told()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);

        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.PhoneOffline, NotificationSubject.Employee(owner.EmployeeId), "Owner", "x");

        Assert.Equal(1, (await Feed.GetAsync(owner)).Unread);
        Assert.Equal(0, (await Feed.GetAsync(admin)).Unread);
    }

    [Fact]
    public async Task A_flapping_subject_is_bounded_dropped_within_the_cool_down_then_counted_on_one_row()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var subject = NotificationSubject.Employee(ivan.EmployeeId);

        for (var i = 0; i < 100; i++)
        {
            await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.PhoneOffline, subject, "ivan", "x");
        }

        Assert.Equal(1, Assert.Single((await Feed.GetAsync(owner)).Items).Count);

        // After the cool-down (1 min) a repeat within the repeat window (1 h) bumps the unread row.
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.PhoneOffline, subject, "ivan", "y");
        var bumped = Assert.Single((await Feed.GetAsync(owner)).Items);
        Assert.Equal(2, bumped.Count);
        Assert.Equal("y", bumped.Args[1]);

        // Once read, the next one is a new notification.
        Assert.True(await Feed.MarkReadAsync(owner, bumped.Id));
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.PhoneOffline, subject, "ivan", "z");
        var page = await Feed.GetAsync(owner);
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(1, page.Unread);
    }

    [Fact]
    public async Task Mark_read_touches_only_the_callers_own_notifications()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.ImportFinished, NotificationSubject.Of("import:1"), "staff.csv", "10", "2");
        var ownersItem = Assert.Single((await Feed.GetAsync(owner)).Items);

        Assert.False(await Feed.MarkReadAsync(admin, ownersItem.Id));          // not the admin's row
        Assert.Equal(1, (await Feed.GetAsync(owner)).Unread);

        Assert.True(await Feed.MarkReadAsync(owner, ownersItem.Id));
        Assert.Equal(0, (await Feed.GetAsync(owner)).Unread);
        Assert.True(Assert.Single((await Feed.GetAsync(owner)).Items).Read);
        Assert.Equal(1, (await Feed.GetAsync(admin)).Unread);

        Assert.True(await Feed.MarkAllReadAsync(admin));
        Assert.Equal(0, (await Feed.GetAsync(admin)).Unread);
    }

    [Fact]
    public async Task Losing_the_employees_section_hides_the_bell_content()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.ImportFinished, NotificationSubject.Of("import:2"), "a.csv", "1", "0");
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            await db.Employees.Where(e => e.Id == admin.EmployeeId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CommonSections, CommonSections.None));
        }

        Assert.Equal(NotificationPage.Empty, await Feed.GetAsync(admin));
        Assert.False(await Feed.MarkAllReadAsync(admin));
    }

    [Fact]
    public async Task Recipients_are_told_live_and_others_are_not()
    {
        var owner = await _host.SignUpAsync();
        var plain = await _host.AddEmployeeAsync(owner, "plain");
        var notifier = _host.Get<KeyedNotifier<NotificationChange>>();
        var told = new List<int>();
        using var toOwner = notifier.Subscribe(owner.EmployeeId, c => told.Add(c.RecipientEmployeeId));
        using var toPlain = notifier.Subscribe(plain.EmployeeId, c => told.Add(c.RecipientEmployeeId));

        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.AddressBanned, NotificationSubject.Of("address:198.51.100.7"), "198.51.100.7", "x");

        Assert.Equal([owner.EmployeeId], told);
    }

    [Fact]
    public async Task Raising_many_at_once_writes_them_all_and_tells_each_recipients_bell_once()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        var notifier = _host.Get<KeyedNotifier<NotificationChange>>();
        var told = new List<int>();
        using var toOwner = notifier.Subscribe(owner.EmployeeId, c => told.Add(c.RecipientEmployeeId));
        using var toAdmin = notifier.Subscribe(admin.EmployeeId, c => told.Add(c.RecipientEmployeeId));
        var raises = Enumerable.Range(1, 5)
            .Select(i => new NotificationRaise(NotificationKinds.AddressBanned, NotificationSubject.Of($"address:198.51.100.{i}"), [$"198.51.100.{i}", "x"]))
            .ToList();

        await Notifications.RaiseAllAsync(owner.AccountId, raises);

        Assert.Equal(5, (await Feed.GetAsync(owner)).Unread);
        Assert.Equal(5, (await Feed.GetAsync(admin)).Unread);
        Assert.Equal(new[] { owner.EmployeeId, admin.EmployeeId }.Order(), told.Order());
    }

    [Fact]
    public async Task A_summary_skips_the_cool_down_and_adds_its_tally_to_the_unread_row()
    {
        var owner = await _host.SignUpAsync();
        var subject = NotificationSubject.Of("phones-offline");

        await Notifications.RaiseAllAsync(owner.AccountId, [new NotificationRaise(NotificationKinds.PhonesOffline, subject, ["7", "a"], Tally: 7)]);
        await Notifications.RaiseAllAsync(owner.AccountId, [new NotificationRaise(NotificationKinds.PhonesOffline, subject, ["5", "b"], Tally: 5)]);

        var item = Assert.Single((await Feed.GetAsync(owner)).Items);
        Assert.Equal(["12", "b"], item.Args);

        // Once read, the next summary starts a new row with its own count.
        await Feed.MarkAllReadAsync(owner);
        await Notifications.RaiseAllAsync(owner.AccountId, [new NotificationRaise(NotificationKinds.PhonesOffline, subject, ["3", "c"], Tally: 3)]);
        Assert.Equal("3", (await Feed.GetAsync(owner)).Items.Single(i => !i.Read).Args[0]);
    }

    [Fact]
    public async Task Retention_deletes_notifications_not_raised_for_the_configured_days()
    {
        var owner = await _host.SignUpAsync();
        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.ImportFinished, NotificationSubject.Of("import:old"), "a.csv", "1", "0");
        _host.Time.Advance(TimeSpan.FromDays(29));
        await Notifications.RaiseAsync(owner.AccountId, NotificationKinds.ImportFinished, NotificationSubject.Of("import:new"), "b.csv", "1", "0");
        _host.Time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(1, await _host.Get<NotificationRetention>().PurgeAsync());
        Assert.Equal("b.csv", Assert.Single((await Feed.GetAsync(owner)).Items).Args[0]);
    }
}
