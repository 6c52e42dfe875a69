using System.Globalization;
using LPTracker.Core.Employees;
using LPTracker.Core.Notifications;
using LPTracker.Core.Persistence;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Interop;
using LPTracker.Tests.Telephony.TestSupport;
using LPTracker.Tests.Web.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>The console as shipped, with its registrar on loopback: every day is a working day and a 1 s registration is allowed.</summary>
public sealed class HistoryAppFixture : TelephonyAppFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Sip:MinExpires"] = "1",
        ["Notifications:WorkdayStart"] = "00:00:00",
        ["Notifications:WorkdayEnd"] = "1.00:00:00",
        ["Notifications:IncludeWeekends"] = "true",
    };

    /// <summary>A Working employee (switched on, takes calls in the account's first project) with SIP credentials.</summary>
    public async Task<(CallerContext Employee, string User, string Password)> AddWorkingPhoneAsync(CallerContext owner, string suffix)
    {
        var employee = await AddEmployeeAsync(owner, suffix);
        await using (var db = await Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            var project = await db.Projects.OrderBy(p => p.Id).FirstAsync();
            db.Memberships.Add(new ProjectMembership
            {
                AccountId = owner.AccountId, EmployeeId = employee.EmployeeId, ProjectId = project.Id, HasAccess = true, TakesCalls = true,
            });
            await db.SaveChangesAsync();
        }

        var (user, password) = await IssueSipAccountAsync(employee);
        return (employee, user, password);
    }

    public async Task<List<RegistrationEntry>> HistoryOfAsync(CallerContext employee)
    {
        await using var db = await Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        return await db.RegistrationEntries.Where(r => r.EmployeeId == employee.EmployeeId).OrderBy(r => r.Id).ToListAsync();
    }
}

/// <summary>Real phones (baresip, sipp) register with the console's registrar over real sockets; the history and the bell follow.</summary>
public sealed class RegistrationHistoryLiveTests(HistoryAppFixture app) : IClassFixture<HistoryAppFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Baresip_registering_and_quitting_is_recorded_with_device_address_transport_and_reason_and_admins_are_told()
    {
        var (owner, _) = await app.SignUpAsync();
        var (ivan, user, password) = await app.AddWorkingPhoneAsync(owner, "ivan");

        using (var phone = BaresipPhone.Start(app.SipUdp, user, password))
        {
            await Eventually.TrueAsync(async () => (await app.HistoryOfAsync(ivan)).Count == 1, "the online row", Wait);
            await phone.QuitAsync();
        }

        await Eventually.TrueAsync(async () => (await app.HistoryOfAsync(ivan)).Count == 2, "the offline row", Wait);
        var rows = await app.HistoryOfAsync(ivan);
        Assert.Equal((true, RegistrationReason.Registered), (rows[0].Online, rows[0].Reason));
        Assert.Equal((false, RegistrationReason.Unregistered), (rows[1].Online, rows[1].Reason));
        Assert.All(rows, r =>
        {
            Assert.Contains("baresip", r.Device, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("127.0.0.1:", r.Address, StringComparison.Ordinal);
            Assert.Equal("UDP", r.Transport);
        });

        // The editor's view: both lines, newest first, some online time today.
        var view = (await app.Get<RegistrationHistoryService>().GetAsync(owner, ivan.EmployeeId, TimeZoneInfo.Utc))!;
        Assert.Equal([false, true], view.Lines.Select(l => l.Online));

        // The owner's bell: "ivan's phone went offline".
        await Eventually.TrueAsync(async () => (await app.Get<NotificationFeed>().GetAsync(owner)).Unread == 1, "the owner's notification", Wait);
        var item = Assert.Single((await app.Get<NotificationFeed>().GetAsync(owner)).Items);
        Assert.Equal((NotificationKinds.PhoneOffline, ivan.EmployeeId, "ivan"), (item.Kind, item.SubjectEmployeeId, item.Args[0]));
    }

    [Fact]
    public async Task A_sipp_registration_that_is_never_refreshed_is_recorded_as_expired()
    {
        var (owner, _) = await app.SignUpAsync();
        var (olga, user, password) = await app.AddWorkingPhoneAsync(owner, "olga");

        var (exitCode, output) = await RunSippAsync("register-expires-2.xml", user, password);

        Assert.True(exitCode == 0, output);
        await Eventually.TrueAsync(async () => (await app.HistoryOfAsync(olga)).Count == 2, "online then expired", Wait);
        var rows = await app.HistoryOfAsync(olga);
        Assert.Equal([(true, RegistrationReason.Registered), (false, RegistrationReason.Expired)], rows.Select(r => (r.Online, r.Reason)));
        Assert.Equal("sipp", rows[1].Device);
    }

    [Fact]
    public async Task The_admins_bell_shows_a_phone_that_went_offline_without_a_reload()
    {
        var (context, page, owner) = await app.OpenSignedInAsync();
        await using var _ = context;
        var (maria, user, password) = await app.AddWorkingPhoneAsync(owner, "maria");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        var badge = page.Locator("[data-testid=bell-badge]");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-unread", "0");

        using (var phone = BaresipPhone.Start(app.SipUdp, user, password))
        {
            await Eventually.TrueAsync(async () => (await app.HistoryOfAsync(maria)).Count == 1, "maria online", Wait);
            await phone.QuitAsync();
        }

        await Assertions.Expect(badge).ToHaveAttributeAsync("data-unread", "1", new() { Timeout = 20_000 });
        await page.ClickAsync("[data-testid=bell-button]");
        var item = page.Locator("[data-testid=bell-item]").First;
        await Assertions.Expect(item).ToContainTextAsync("maria");
        await Assertions.Expect(item).ToContainTextAsync("снял регистрацию");
        await item.ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/employees/", StringComparison.Ordinal));
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-unread", "0");
        await Assertions.Expect(page.Locator("[data-testid=registration-line]")).ToHaveCountAsync(2);
    }

    private async Task<(int, string)> RunSippAsync(string scenario, string user, string password)
    {
        var sipp = ExternalTool.Require("sipp", "sip-tester");
        var dir = ExternalTool.TempDirectory("sipp");
        try
        {
            // sipp 3.6 does not expand [field] inside [authentication]: the whole keyword is a CSV field.
            var csv = Path.Combine(dir, "users.csv");
            await File.WriteAllTextAsync(csv, $"SEQUENTIAL\n{user};[authentication username={user} password={password}];\n");
            var args = new[]
            {
                $"127.0.0.1:{app.SipUdp.Port}", "-sf", TestFiles.Path("Interop", "sipp", scenario), "-inf", csv, "-m", "1", "-l", "1",
                "-t", "u1", "-i", "127.0.0.1", "-p", ExternalTool.FreePort().ToString(CultureInfo.InvariantCulture),
                "-timeout", "30s", "-timeout_error", "-recv_timeout", "10000", "-nostdin",
            };
            return await ExternalTool.RunAsync(sipp, args, TimeSpan.FromSeconds(40), dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
