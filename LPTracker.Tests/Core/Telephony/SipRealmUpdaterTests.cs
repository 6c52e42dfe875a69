using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace LPTracker.Tests.Core.Telephony;

/// <summary>A changed realm re-issues the stored hashes, so phones keep registering with their password.</summary>
public sealed class SipRealmUpdaterTests
{
    [Fact]
    public async Task Accounts_hashed_for_another_realm_are_rehashed_for_the_configured_one()
    {
        await using var host = await CoreTestHost.StartAsync(b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sip:Domain"] = "new.example.com" }));
        var owner = await host.SignUpAsync();
        var ivan = await host.AddEmployeeAsync(owner, "ivan");
        Assert.True((await host.Get<SipDataService>().GenerateAsync(owner, ivan.EmployeeId)).Succeeded);
        var password = (await host.Get<SipDataService>().RevealPasswordAsync(owner, ivan.EmployeeId)).Value!;
        await using (var db = host.OpenSystemContext())
        {
            var account = await db.SipAccounts.IgnoreQueryFilters().SingleAsync(s => s.EmployeeId == ivan.EmployeeId);
            account.Realm = "old.example.com";
            account.Ha1Md5 = SipDigest.Ha1Md5(account.UserName, "old.example.com", password);
            account.Ha1Sha256 = SipDigest.Ha1Sha256(account.UserName, "old.example.com", password);
            await db.SaveChangesAsync();
        }

        var (rehashed, unreadable) = await host.Get<SipRealmUpdater>().UpdateAsync();

        Assert.Equal((1, 0), (rehashed, unreadable));
        await using var check = host.OpenSystemContext();
        var stored = await check.SipAccounts.IgnoreQueryFilters().SingleAsync(s => s.EmployeeId == ivan.EmployeeId);
        Assert.Equal("new.example.com", stored.Realm);
        Assert.Equal(SipDigest.Ha1Md5(stored.UserName, "new.example.com", password), stored.Ha1Md5);
        Assert.Equal(SipDigest.Ha1Sha256(stored.UserName, "new.example.com", password), stored.Ha1Sha256);
    }

    [Fact]
    public void Console_and_registrar_share_one_default_domain()
    {
        var options = new SipOptions();

        Assert.Equal("sip.lptracker.local", options.Domain);
        Assert.Equal(options.Domain, options.EffectiveRealm);
    }
}
