using System.Net.Http.Json;
using System.Text.Json;
using LPTracker.Core.Live;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Integration;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The registrar hosted by the console: credentials from the database, presence and bindings back into it.</summary>
public sealed class RegistrarInTheConsoleTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    [Fact]
    public async Task Registering_with_the_issued_credentials_turns_the_employee_online_with_device_and_address()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        var changes = new List<EmployeeChange>();
        using var subscription = app.Get<ChangeNotifier>().Subscribe(owner.AccountId, c => { lock (changes) { changes.Add(c); } });
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);

        var status = await phone.RegisterAsync();

        Assert.Equal(200, status);
        var presence = app.Get<ISipPresenceSource>().Get(ivan.EmployeeId);
        Assert.Equal(SipStatus.Online, presence.Status);
        Assert.Equal("TestPhone/1.0", presence.Device);
        Assert.StartsWith("127.0.0.1:", presence.Address, StringComparison.Ordinal);
        Assert.NotNull(presence.SinceUtc);
        lock (changes)
        {
            Assert.Contains(new EmployeeChange(owner.AccountId, ivan.EmployeeId, EmployeeChangeKind.SipStatus), changes);
        }
    }

    [Fact]
    public async Task Unregistering_turns_the_employee_disconnected()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        Assert.Equal(200, await phone.RegisterAsync());

        var status = await phone.RegisterAsync(expires: 0);

        Assert.Equal(200, status);
        Assert.Equal(SipStatus.Disconnected, app.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_employee_stays_disconnected()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);

        var status = await phone.RegisterAsync(passwordOverride: "not-" + password);

        Assert.Contains(status, new[] { 401, 403 });
        Assert.Equal(SipStatus.Disconnected, app.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status);
    }

    [Fact]
    public async Task A_registration_is_kept_in_the_database_for_a_restart()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);

        Assert.Equal(200, await phone.RegisterAsync());
        await app.Get<DbBindingPersistence>().FlushAsync();

        var loaded = await app.Get<DbBindingPersistence>().LoadAsync(CancellationToken.None);
        var binding = Assert.Single(loaded, b => b.UserName == user);
        Assert.Equal(ivan.EmployeeId, binding.EmployeeId);
        Assert.Equal("TestPhone/1.0", binding.UserAgent);
        await using var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        Assert.Equal(1, await db.SipBindings.CountAsync(b => b.EmployeeId == ivan.EmployeeId));
    }

    [Fact]
    public async Task Health_reports_the_database_and_the_sip_listener_to_the_main_account()
    {
        var (_, email) = await app.SignUpAsync();
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, email, "secret123");
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(app.BaseUrl) };

        var health = await http.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("sip").GetProperty("status").GetString());
    }
}

/// <summary>What the console does to a phone's registration: regenerating SIP data or deleting the employee ends it.</summary>
public sealed class ConsoleEndsRegistrationsTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    [Fact]
    public async Task Regenerating_sip_data_drops_the_registration_and_the_old_password_no_longer_works()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var generated = await app.Get<SipDataService>().GenerateAsync(owner, ivan.EmployeeId);
        var user = generated.Value!.UserName!;
        var password = (await app.Get<SipDataService>().RevealPasswordAsync(owner, ivan.EmployeeId)).Value!;
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        Assert.Equal(200, await phone.RegisterAsync());

        var regenerated = await app.Get<SipDataService>().RegenerateAsync(owner, ivan.EmployeeId);

        Assert.True(regenerated.Succeeded, regenerated.Summary);
        Assert.Equal(SipStatus.Disconnected, app.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status);
        Assert.Contains(await phone.RegisterAsync(), new[] { 401, 403 });
    }

    [Fact]
    public async Task Deleting_the_employee_drops_the_registration_at_once()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        Assert.Equal(200, await phone.RegisterAsync());

        var deleted = await app.Get<LPTracker.Core.Employees.EmployeeListService>().DeleteAsync(owner, ivan.EmployeeId);

        Assert.True(deleted.Succeeded, deleted.Summary);
        Assert.Equal(SipStatus.Disconnected, app.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status);
        Assert.Empty(app.Get<LPTracker.Telephony.Registrar.ILocationStore>().GetBindings(user));
        Assert.Contains(await phone.RegisterAsync(), new[] { 401, 403 });
    }
}
