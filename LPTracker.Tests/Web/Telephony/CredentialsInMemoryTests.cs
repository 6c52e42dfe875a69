using LPTracker.Core.Telephony;
using LPTracker.Telephony.Integration;
using Microsoft.Data.Sqlite;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The registrar's credentials live in memory, kept current by the console's events, never read per REGISTER.</summary>
public sealed class CredentialsInMemoryTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    [Fact]
    public async Task A_phone_registers_while_the_database_is_locked_by_someone_else()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        await using var locker = new SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "app.db")};Pooling=False");
        await locker.OpenAsync();
        await using var exclusive = locker.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        await exclusive.ExecuteNonQueryAsync();
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);

        var status = await phone.RegisterAsync();

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Regenerated_data_replaces_the_old_password_at_once_and_a_deleted_account_is_forgotten()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        Assert.True((await app.Get<SipDataService>().GenerateAsync(owner, ivan.EmployeeId)).Succeeded);
        var view = (await app.Get<SipDataService>().RegenerateAsync(owner, ivan.EmployeeId)).Value!;
        var password = (await app.Get<SipDataService>().RevealPasswordAsync(owner, ivan.EmployeeId)).Value!;
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", view.UserName!, password);
        Assert.Equal(200, await phone.RegisterAsync());

        await app.Get<ISipAccountEvents>().OnAccountRemovedAsync(owner.AccountId, ivan.EmployeeId, view.UserName!);

        Assert.Null(await app.Get<SipCredentialMap>().FindAsync(view.UserName!, CancellationToken.None));
        Assert.Equal(401, await phone.RegisterAsync());
    }
}
