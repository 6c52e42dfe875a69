using LPTracker.Core.Audit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony.Bans;
using LPTracker.Telephony;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The console with a registrar that bans a user from an address after three wrong passwords.</summary>
public sealed class QuickBanAppFixture : TelephonyAppFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Sip:Ban:MaxFailures"] = "3",

        // The tests of this class fail from 127.0.0.1 with several users: none of them must ban the whole address.
        ["Sip:Ban:MaxUsersPerAddress"] = "50",
    };
}

/// <summary>Real bans (wrong passwords over a real UDP socket) as administrators see and lift them in the console.</summary>
public sealed class SipBansInTheConsoleTests(QuickBanAppFixture app) : IClassFixture<QuickBanAppFixture>
{
    [Fact]
    public async Task A_phone_banned_for_wrong_passwords_is_listed_and_registers_again_once_lifted()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        await BanAsync(phone, password);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => phone.RegisterAsync(patience: TestPhone.BannedSilence));

        var listed = await app.Get<SipBanList>().ListAsync(owner);
        var ban = Assert.Single(listed.Value!);
        Assert.Equal(("127.0.0.1", user, "password", ivan.EmployeeId, true),
            (ban.Address, ban.User, ban.Reason, ban.Employees.Single().EmployeeId, ban.CanLift));

        using (CallerScope.Begin(owner.EmployeeId, "127.0.0.1"))
        {
            var lifted = await app.Get<LiftSipBan>().LiftAsync(owner, ban.Address, ban.User);
            Assert.True(lifted.Succeeded, lifted.Summary);
        }

        Assert.Equal(200, await phone.RegisterAsync());
        Assert.Empty((await app.Get<SipBanList>().ListAsync(owner)).Value!);
        Assert.Single(await AuditAsync(owner.AccountId));
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_can_neither_list_nor_lift_a_ban()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan", sections: CommonSections.Telephony);
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        await BanAsync(phone, password);

        var listed = await app.Get<SipBanList>().ListAsync(ivan);
        var lifted = await app.Get<LiftSipBan>().LiftAsync(ivan, "127.0.0.1", user);

        Assert.False(listed.Succeeded);
        Assert.False(lifted.Succeeded);
        Assert.Equal("Недостаточно прав для этого действия.", lifted.Summary);
        Assert.Contains(app.Get<SipServer>().Bans.Active(), b => b.User == user);
        Assert.Empty(await AuditAsync(owner.AccountId));
    }

    [Fact]
    public async Task Another_accounts_administrator_neither_sees_nor_lifts_the_ban()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        await BanAsync(phone, password);
        var (stranger, _) = await app.SignUpAsync();

        var listed = await app.Get<SipBanList>().ListAsync(stranger);
        var lifted = await app.Get<LiftSipBan>().LiftAsync(stranger, "127.0.0.1", user);

        Assert.DoesNotContain(listed.Value!, b => b.User == user);
        Assert.Equal("Блокировка уже снята или истекла.", lifted.Summary);
        Assert.Contains(app.Get<SipServer>().Bans.Active(), b => b.User == user);
    }

    /// <summary>Three REGISTERs answered with a wrong password: the third failure bans the user from 127.0.0.1.</summary>
    private static async Task BanAsync(TestPhone phone, string password)
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, await phone.RegisterAsync(passwordOverride: "not-" + password));
        }
    }

    private async Task<List<AuditRecord>> AuditAsync(int accountId)
    {
        await using var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId);
        return await db.AuditRecords.Where(r => r.Action == AuditAction.SipBanLifted).ToListAsync();
    }
}
