using System.Text;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.RegistrationHistory;

/// <summary>The history writer's bound, the editor's rights on the history, online totals and the CSV, on real SQLite.</summary>
public sealed class RegistrationHistoryTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_flapping_phone_gets_at_most_the_hourly_cap_of_rows_and_its_last_state_is_kept()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var writer = _host.Get<RegistrationHistoryWriter>();
        var start = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);

        // 1,000 transitions within one hour, in batches as the pump would hand them over; the last one is "online".
        for (var batch = 0; batch < 10; batch++)
        {
            var transitions = Enumerable.Range(batch * 100, 100)
                .Select(i => Transition(owner.AccountId, ivan.EmployeeId, start.AddSeconds(i * 3), online: i % 2 == 1))
                .ToList();
            await writer.WriteAsync(transitions, CancellationToken.None);
        }

        await using (var db = _host.OpenSystemContext())
        {
            var rows = await db.RegistrationEntries.IgnoreQueryFilters().Where(r => r.EmployeeId == ivan.EmployeeId).OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(20, rows.Count);
            Assert.Equal(1000, rows.Count + rows.Sum(r => r.Folded));
            Assert.True(rows[^1].Online);
            Assert.Equal(start.AddSeconds(999 * 3), rows[^1].AtUtc);
        }

        // The next hour starts a fresh allowance.
        await writer.WriteAsync([Transition(owner.AccountId, ivan.EmployeeId, start.AddHours(1).AddMinutes(1), online: false)], CancellationToken.None);
        await using var after = _host.OpenSystemContext();
        Assert.Equal(21, await after.RegistrationEntries.IgnoreQueryFilters().CountAsync(r => r.EmployeeId == ivan.EmployeeId));
    }

    [Fact]
    public async Task A_batch_over_several_accounts_writes_each_ones_rows_and_nothing_for_a_wrong_or_unknown_employee()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var other = await _host.SignUpAsync();
        var stranger = await _host.AddEmployeeAsync(other, "stranger");
        var now = _host.Time.GetUtcNow().UtcDateTime;

        // One batch spans both accounts (written in one transaction); an event claiming the wrong account for an
        // employee, or an id that does not exist, writes nothing.
        await _host.Get<RegistrationHistoryWriter>().WriteAsync(
            [
                Transition(owner.AccountId, ivan.EmployeeId, now, true), Transition(other.AccountId, stranger.EmployeeId, now, true),
                Transition(owner.AccountId, stranger.EmployeeId, now, false), Transition(owner.AccountId, 999_999, now, true),
            ],
            CancellationToken.None);

        await using var db = _host.OpenSystemContext();
        var rows = await db.RegistrationEntries.IgnoreQueryFilters().OrderBy(r => r.Id)
            .Select(r => new { r.AccountId, r.EmployeeId, r.Online }).ToListAsync();
        Assert.Equal(
            [new { owner.AccountId, ivan.EmployeeId, Online = true }, new { other.AccountId, stranger.EmployeeId, Online = true }],
            rows);
    }

    [Fact]
    public async Task A_storm_sized_batch_writes_every_known_employee_once_whatever_its_size()
    {
        // After a restart a batch holds hundreds of employees; their ids go to the database as one list parameter
        // (decision 0086). Two batches of different sizes, with unknown ids among them.
        var owner = await _host.SignUpAsync();
        var known = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            known.Add((await _host.AddEmployeeAsync(owner, $"storm{i}")).EmployeeId);
        }

        var now = _host.Time.GetUtcNow().UtcDateTime;
        var writer = _host.Get<RegistrationHistoryWriter>();
        await writer.WriteAsync(
            [.. Enumerable.Range(1_000_000, 600).Select(id => Transition(owner.AccountId, id, now, true)), Transition(owner.AccountId, known[0], now, true)],
            CancellationToken.None);
        await writer.WriteAsync(
            [.. known.Skip(1).Select(id => Transition(owner.AccountId, id, now, true)), .. Enumerable.Range(2_000_000, 37).Select(id => Transition(owner.AccountId, id, now, true))],
            CancellationToken.None);

        await using var db = _host.OpenSystemContext();
        Assert.Equal(known, await db.RegistrationEntries.IgnoreQueryFilters().OrderBy(r => r.EmployeeId).Select(r => r.EmployeeId).ToListAsync());
    }

    [Fact]
    public async Task The_warm_up_writes_nothing_and_leaves_the_hourly_allowance_whole()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var writer = _host.Get<RegistrationHistoryWriter>();

        await writer.WarmUpAsync(CancellationToken.None);

        await using (var db = _host.OpenSystemContext())
        {
            Assert.Equal(0, await db.RegistrationEntries.IgnoreQueryFilters().CountAsync());
        }

        // The warm-up's 40 rows (rolled back) neither count towards the cap nor became a row to fold into.
        var start = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
        await writer.WriteAsync(
            [.. Enumerable.Range(0, 20).Select(i => Transition(owner.AccountId, ivan.EmployeeId, start.AddSeconds(i), online: i % 2 == 0))],
            CancellationToken.None);
        await using var after = _host.OpenSystemContext();
        var rows = await after.RegistrationEntries.IgnoreQueryFilters().Where(r => r.EmployeeId == ivan.EmployeeId).ToListAsync();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal(0, r.Folded));
    }

    [Fact]
    public async Task The_history_is_shown_to_whoever_may_open_the_employees_editor_and_nobody_else()
    {
        var owner = await _host.SignUpAsync();
        var admin = await _host.AddEmployeeAsync(owner, "admin", CommonSections.Employees);
        var plain = await _host.AddEmployeeAsync(owner, "plain");
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var other = await _host.SignUpAsync();
        var now = _host.Time.GetUtcNow().UtcDateTime;
        await _host.Get<RegistrationHistoryWriter>().WriteAsync(
            [Transition(owner.AccountId, ivan.EmployeeId, now.AddMinutes(-5), true), Transition(owner.AccountId, owner.EmployeeId, now.AddMinutes(-5), true)],
            CancellationToken.None);
        var history = _host.Get<RegistrationHistoryService>();

        Assert.Single((await history.GetAsync(owner, ivan.EmployeeId, TimeZoneInfo.Utc))!.Lines);
        Assert.Single((await history.GetAsync(admin, ivan.EmployeeId, TimeZoneInfo.Utc))!.Lines);
        Assert.Single((await history.GetAsync(owner, owner.EmployeeId, TimeZoneInfo.Utc))!.Lines);
        Assert.Null(await history.GetAsync(admin, owner.EmployeeId, TimeZoneInfo.Utc));    // the main account's editor is its own
        Assert.Null(await history.GetAsync(plain, ivan.EmployeeId, TimeZoneInfo.Utc));     // no Employees section
        Assert.Null(await history.GetAsync(other, ivan.EmployeeId, TimeZoneInfo.Utc));     // another account
        Assert.False(await history.ExportCsvAsync(plain, ivan.EmployeeId, new MemoryStream()));
        Assert.False(await history.ExportCsvAsync(other, ivan.EmployeeId, new MemoryStream()));
    }

    [Fact]
    public async Task Today_and_this_week_add_up_the_online_periods_up_to_now()
    {
        // The host's clock: Saturday 2026-11-28 09:00 UTC; the week began on Monday the 23rd.
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var wednesday = new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc);
        var saturday = new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);
        await _host.Get<RegistrationHistoryWriter>().WriteAsync(
        [
            Transition(owner.AccountId, ivan.EmployeeId, new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc), true),   // the week before
            Transition(owner.AccountId, ivan.EmployeeId, new DateTime(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc), false),  // 1 h of this week
            Transition(owner.AccountId, ivan.EmployeeId, wednesday.AddHours(10), true),
            Transition(owner.AccountId, ivan.EmployeeId, wednesday.AddHours(12), false),
            Transition(owner.AccountId, ivan.EmployeeId, saturday.AddHours(7), true),                                   // still online
        ], CancellationToken.None);

        var view = (await _host.Get<RegistrationHistoryService>().GetAsync(owner, ivan.EmployeeId, TimeZoneInfo.Utc))!;

        Assert.Equal(TimeSpan.FromHours(2), view.OnlineToday);
        Assert.Equal(TimeSpan.FromHours(1 + 2 + 2), view.OnlineThisWeek);
        Assert.Equal(4, view.Lines.Count);                                     // the last 7 days, newest first
        Assert.True(view.Lines[0].Online);
    }

    [Fact]
    public async Task The_csv_has_a_header_every_row_and_formula_cells_neutralised()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var now = _host.Time.GetUtcNow().UtcDateTime;
        await _host.Get<RegistrationHistoryWriter>().WriteAsync(
            [Transition(owner.AccountId, ivan.EmployeeId, now.AddMinutes(-2), true, device: "=HYPERLINK(\"x\")")], CancellationToken.None);
        using var output = new MemoryStream();

        Assert.True(await _host.Get<RegistrationHistoryService>().ExportCsvAsync(owner, ivan.EmployeeId, output));

        var lines = Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5062", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_deletes_rows_older_than_the_configured_days()
    {
        var owner = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var now = _host.Time.GetUtcNow().UtcDateTime;
        await _host.Get<RegistrationHistoryWriter>().WriteAsync(
            [Transition(owner.AccountId, ivan.EmployeeId, now.AddDays(-31), true), Transition(owner.AccountId, ivan.EmployeeId, now.AddDays(-29), false)],
            CancellationToken.None);

        Assert.Equal(1, await _host.Get<RegistrationHistoryRetention>().PurgeAsync());
        await using var db = _host.OpenSystemContext();
        Assert.Equal(now.AddDays(-29), (await db.RegistrationEntries.IgnoreQueryFilters().SingleAsync()).AtUtc);
    }

    private static RegistrationTransition Transition(int accountId, int employeeId, DateTime at, bool online, string device = "Linphone 5.1") =>
        new(accountId, employeeId, online, online ? RegistrationReason.Registered : RegistrationReason.Expired, at, device, "127.0.0.1:5062", "UDP");
}
