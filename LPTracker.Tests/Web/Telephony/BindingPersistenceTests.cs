using System.Net;
using LPTracker.Telephony.Integration;
using LPTracker.Telephony.Registrar;
using Microsoft.Data.Sqlite;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>Bindings written behind the REGISTER path keep every field, on either database.</summary>
public abstract class BindingPersistenceFacts<TFixture>(TFixture app) where TFixture : TelephonyAppFixture
{
    protected TFixture App => app;

    protected DbBindingPersistence Persistence => app.Get<DbBindingPersistence>();

    [Fact]
    public async Task Q_instance_and_reg_id_survive_a_restart()
    {
        var binding = await NewBindingAsync() with { Q = 0.25, InstanceId = "<urn:uuid:0000-1>", RegId = 2 };
        var user = binding.UserName;

        await Persistence.SaveAsync(user, [binding], CancellationToken.None);
        await Persistence.FlushAsync();

        var loaded = Assert.Single(await Persistence.LoadAsync(CancellationToken.None), b => b.UserName == user);
        Assert.Equal((0.25, "<urn:uuid:0000-1>", (int?)2), (loaded.Q, loaded.InstanceId, loaded.RegId));
        Assert.Equal(binding.ExpiresAt.ToUnixTimeSeconds(), loaded.ExpiresAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Loading_the_bindings_changes_none_of_them()
    {
        var binding = await NewBindingAsync();
        await Persistence.SaveAsync(binding.UserName, [binding], CancellationToken.None);
        await Persistence.FlushAsync();

        // Loading warms the writer up in a transaction it rolls back, for one SIP account (perhaps this one).
        await Persistence.LoadAsync(CancellationToken.None);

        var loaded = await Persistence.LoadAsync(CancellationToken.None);
        Assert.DoesNotContain(loaded, b => b.CallId == "warm-up");
        Assert.Equal("c1", Assert.Single(loaded, b => b.UserName == binding.UserName).CallId);
    }

    protected async Task<SipBinding> NewBindingAsync()
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
}

/// <summary>The binding facts on a real PostgreSQL: the whole console started with <c>Database:Provider=Postgres</c>.</summary>
public sealed class BindingPersistenceOnPostgresTests(PostgresTelephonyAppFixture app)
    : BindingPersistenceFacts<PostgresTelephonyAppFixture>(app), IClassFixture<PostgresTelephonyAppFixture>;

/// <summary>On SQLite, besides the shared facts: a failed write is retried, not dropped.</summary>
public sealed class BindingPersistenceTests(TelephonyAppFixture app)
    : BindingPersistenceFacts<TelephonyAppFixture>(app), IClassFixture<TelephonyAppFixture>
{

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

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(App.DataFolder, "app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
