using System.Net;
using LPTracker.Telephony.Integration;
using LPTracker.Telephony.Registrar;
using Microsoft.Data.Sqlite;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>Bindings written behind the REGISTER path: every field kept, and a failed write retried, not dropped.</summary>
public sealed class BindingPersistenceTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    private DbBindingPersistence Persistence => app.Get<DbBindingPersistence>();

    [Fact]
    public async Task Q_instance_and_reg_id_survive_a_restart()
    {
        var binding = await NewBindingAsync() with { Q = 0.25, InstanceId = "<urn:uuid:0000-1>", RegId = 2 };
        var user = binding.UserName;

        await Persistence.SaveAsync(user, [binding], CancellationToken.None);
        await Persistence.FlushAsync();

        var loaded = Assert.Single(await Persistence.LoadAsync(CancellationToken.None), b => b.UserName == user);
        Assert.Equal((0.25, "<urn:uuid:0000-1>", (int?)2), (loaded.Q, loaded.InstanceId, loaded.RegId));
    }

    [Fact]
    public async Task A_write_that_fails_is_retried_until_the_database_takes_it()
    {
        var binding = await NewBindingAsync();
        var user = binding.UserName;
        await ExecuteAsync("ALTER TABLE SipBindings RENAME TO SipBindingsAway");
        try
        {
            await Persistence.SaveAsync(user, [binding], CancellationToken.None);
            await Task.Delay(DbBindingPersistence.BatchDelay * 4);
            Assert.DoesNotContain(await LoadOrEmptyAsync(), b => b.UserName == user);
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE SipBindingsAway RENAME TO SipBindings");
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await Persistence.LoadAsync(CancellationToken.None)).Any(b => b.UserName == user))
        {
            Assert.True(DateTime.UtcNow < deadline, "the failed batch was never written");
            await Task.Delay(100);
        }
    }

    private async Task<IReadOnlyList<SipBinding>> LoadOrEmptyAsync()
    {
        try
        {
            return await Persistence.LoadAsync(CancellationToken.None);
        }
        catch (SqliteException)
        {
            return [];
        }
    }

    private async Task<SipBinding> NewBindingAsync()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var user = (await app.IssueSipAccountAsync(ivan)).User;
        var now = DateTimeOffset.UtcNow;
        return new SipBinding
        {
            UserName = user, ContactUri = $"sip:{user}@127.0.0.1:5999", CallId = "c1", CSeq = 1, RegisteredAt = now, UpdatedAt = now,
            ExpiresAt = now.AddMinutes(10), RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 5999),
            EmployeeId = ivan.EmployeeId, AccountId = ivan.AccountId,
        };
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
