using System.Data.Common;
using LPTracker.Core.Persistence;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Persistence;

/// <summary>
/// <see cref="BulkInsert"/> on SQLite goes through a prepared single-row insert bound by index (decision 0094): its rows
/// must be stored byte for byte as <c>SaveChanges</c> stores them (types, date text, booleans, enums, nulls), and a
/// refused row must fail the call so the caller's transaction rolls back.
/// </summary>
public sealed class BulkInsertTests
{
    private static readonly DateTime At = new(2026, 11, 30, 21, 5, 7, 123, DateTimeKind.Utc);

    [Fact]
    public async Task History_rows_are_stored_exactly_as_save_changes_stores_them()
    {
        await using var host = await CoreTestHost.StartAsync();
        var owner = await host.SignUpAsync();
        RegistrationEntry Row(string device) => new()
        {
            AccountId = owner.AccountId, EmployeeId = owner.EmployeeId, AtUtc = At.AddTicks(4567), Online = true,
            Reason = RegistrationReason.Banned, Device = device, Address = null, Transport = "UDP", Folded = 3,
        };

        var stored = await BothWaysAsync(host, Row("Телефон/1.0"), Row("Телефон/1.0"), "RegistrationHistory", "Id");

        Assert.Equal(stored.Tracked, stored.Bulk);
        Assert.Contains("text:'2026-11-30 21:05:07.1234567'", stored.Bulk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binding_rows_are_stored_exactly_as_save_changes_stores_them()
    {
        await using var host = await CoreTestHost.StartAsync();
        var owner = await host.SignUpAsync();
        SipBinding Row() => new()
        {
            UserName = "u1", EmployeeId = owner.EmployeeId, AccountId = owner.AccountId, ContactUri = "sip:u1@127.0.0.1:5060",
            CallId = "c", CSeq = 4_000_000_000, ExpiresUtc = At, RegisteredUtc = At.AddDays(-1), UserAgent = null,
            RemoteEndPoint = "udp:127.0.0.1:5060", Q = 0.25, InstanceId = "<urn:uuid:1>", RegId = null, NodeId = "n",
        };

        var stored = await BothWaysAsync(host, Row(), Row(), "SipBindings", "Id");

        Assert.Equal(stored.Tracked, stored.Bulk);
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_the_insert_and_the_transaction_keeps_nothing()
    {
        await using var host = await CoreTestHost.StartAsync();
        var owner = await host.SignUpAsync();
        await using var db = host.OpenSystemContext();
        await db.Database.ExecuteSqlRawAsync(
            """CREATE TRIGGER refuse_row BEFORE INSERT ON "RegistrationHistory" WHEN NEW."Device" = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END;""");
        var rows = new[] { "ok", "ok", "bad", "ok" }.Select(device => new RegistrationEntry
        {
            AccountId = owner.AccountId, EmployeeId = owner.EmployeeId, AtUtc = At, Online = true, Device = device,
        }).ToList();

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var error = await Assert.ThrowsAnyAsync<DbException>(() => BulkInsert.InsertAsync(db, rows, CancellationToken.None));
            Assert.Contains("refused", error.Message, StringComparison.Ordinal);
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await db.RegistrationEntries.IgnoreQueryFilters().CountAsync());
        // The connection is still usable after the failed statement (prepared statements were finalised).
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await BulkInsert.InsertAsync(db, rows.Where(r => r.Device == "ok").ToList(), CancellationToken.None);
            await tx.CommitAsync();
        }

        Assert.Equal(3, await db.RegistrationEntries.IgnoreQueryFilters().CountAsync());
    }

    [Fact]
    public async Task A_bulk_insert_outside_a_transaction_is_refused()
    {
        await using var host = await CoreTestHost.StartAsync();
        var owner = await host.SignUpAsync();
        await using var db = host.OpenSystemContext();

        await Assert.ThrowsAsync<InvalidOperationException>(() => BulkInsert.InsertAsync(db,
            [new RegistrationEntry { AccountId = owner.AccountId, EmployeeId = owner.EmployeeId, AtUtc = At }], CancellationToken.None));
    }

    /// <summary>One row saved by the change tracker, one by the bulk insert; each read back as SQLite stores it
    /// (<c>typeof</c> and <c>quote</c> of every column but the key).</summary>
    private static async Task<(string Tracked, string Bulk)> BothWaysAsync<T>(CoreTestHost host, T tracked, T bulk, string table, string key)
        where T : class
    {
        await using var db = host.OpenSystemContext();
        db.Add(tracked);
        await db.SaveChangesAsync();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await BulkInsert.InsertAsync(db, [bulk], CancellationToken.None);
            await tx.CommitAsync();
        }

        var columns = db.Model.FindEntityType(typeof(T))!.GetProperties().Where(p => p.Name != key).Select(p => p.GetColumnName()).ToList();
        var select = string.Join(" || ' | ' || ", columns.Select(c => $"'{c}=' || typeof(\"{c}\") || ':' || quote(\"{c}\")"));
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {select} FROM \"{table}\" ORDER BY \"{key}\"";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        Assert.Equal(2, rows.Count);
        return (rows[0], rows[1]);
    }
}
