using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace LPTracker.Core.Persistence;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT</c> statements on the context's connection, inside
/// its current transaction: what an import of 10,000 rows needs instead of tracked entities (EF Core attaches the graph
/// and sends one <c>INSERT … RETURNING</c> per row — most of an import's time). Table, columns and value conversions
/// come from the EF model and each value goes through the property's own type mapping, so a row is stored exactly as
/// <c>SaveChanges</c> would store it, on SQLite and on PostgreSQL. The rows are not tracked: no interceptor sees them
/// (the caller audits them itself) and the tenant guard is applied here (decision 0058).
/// </summary>
public static class BulkInsert
{
    // PostgreSQL takes up to 65,535 parameters per statement and each statement is a round trip: long statements.
    // SQLite goes through SqlitePreparedInsert (one prepared row at a time, bound by index) unless an entity has a
    // column it cannot bind; then each parameter is found by name with a linear scan of the statement's names
    // (sqlite3_bind_parameter_index), so binding costs grow with the square of a statement's parameters — 500 rows of 11 columns spent most of an
    // import there. About a hundred parameters per statement (prepared once, executed again and again) is the sweet spot.
    private const int PostgresMaxParameters = 30_000;
    private const int PostgresMaxRows = 500;
    private const int SqliteParameters = 100;

    /// <summary>SQLite's single-row prepared insert per entity type (null: a column it cannot bind; the multi-row path).</summary>
    private static readonly ConcurrentDictionary<(IEntityType, bool), SqlitePreparedInsert?> Prepared = new();

    /// <summary>
    /// Gives each row a new id from its table's own key sequence (so rows that point at them can be written next),
    /// then inserts them. Ids follow the order of <paramref name="rows"/>; the key may be an <c>int</c> or a <c>long</c>.
    /// </summary>
    public static async Task InsertWithNewIdsAsync<T>(LptrackerDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = EntityOf<T>(db);
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var ids = await ReserveIdsAsync(db, entity, key, rows.Count, ct);
        for (var i = 0; i < rows.Count; i++)
        {
            key.PropertyInfo!.SetValue(rows[i], Convert.ChangeType(ids[i], key.ClrType, CultureInfo.InvariantCulture));
        }

        await InsertAsync(db, rows, withKey: true, ct);
    }

    /// <summary>Inserts the rows; the database generates their ids, which are not read back.</summary>
    public static Task InsertAsync<T>(LptrackerDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class => InsertAsync(db, rows, withKey: false, ct);

    private static async Task InsertAsync<T>(LptrackerDbContext db, IReadOnlyList<T> rows, bool withKey, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = EntityOf<T>(db);
        var columns = entity.GetProperties().Where(p => withKey || !p.IsPrimaryKey()).ToList();
        if (columns.Find(p => p.PropertyInfo is null) is { } shadow)
        {
            throw new InvalidOperationException($"{entity.DisplayName()}.{shadow.Name} has no CLR property: a bulk insert would leave it out.");
        }

        GuardTenant(db, entity, rows);
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        if (!db.IsPostgres() && Prepared.GetOrAdd((entity, withKey), _ => SqlitePreparedInsert.TryCreate(sql, table, columns)) is { } prepared)
        {
            _ = db.Database.CurrentTransaction
                ?? throw new InvalidOperationException("A bulk insert runs inside the caller's transaction (all or nothing).");
            prepared.Run((SqliteConnection)db.Database.GetDbConnection(), rows);
            return;
        }

        var mappings = columns.Select(p => p.GetRelationalTypeMapping()).ToList();
        var perStatement = db.IsPostgres()
            ? Math.Min(PostgresMaxRows, PostgresMaxParameters / columns.Count)
            : Math.Max(1, SqliteParameters / columns.Count);
        await using var command = NewCommand(db);
        var batch = 0;
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            if (count != batch)
            {
                // Every full batch runs the same text (SQLite keeps it prepared); only the last one differs.
                command.CommandText = InsertText(sql, table, columns, count);
                batch = count;
            }

            command.Parameters.Clear();
            for (var r = 0; r < count; r++)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    var value = columns[c].PropertyInfo!.GetValue(rows[start + r]);
                    command.Parameters.Add(mappings[c].CreateParameter(command, Name(r, c, columns.Count), value, columns[c].IsNullable));
                }
            }

            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// New key values for <paramref name="count"/> rows. PostgreSQL: taken from the identity column's sequence, safe
    /// beside concurrent writers. SQLite: the next values after the table's highest (AUTOINCREMENT's own rule, which
    /// never reuses a deleted row's id); SQLite has one writer at a time and this runs in a write transaction, so no
    /// one else can take them — and if someone did, the insert fails on the primary key and the import rolls back.
    /// </summary>
    private static async Task<List<long>> ReserveIdsAsync(LptrackerDbContext db, IEntityType entity, IProperty key, int count, CancellationToken ct)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var tableName = entity.GetTableName()!;
        var table = sql.DelimitIdentifier(tableName, entity.GetSchema());
        var column = key.GetColumnName(StoreObjectIdentifier.Table(tableName, entity.GetSchema()))!;
        await using var command = NewCommand(db);
        var ids = new List<long>(count);
        if (db.IsPostgres())
        {
            command.CommandText = $"SELECT nextval(pg_get_serial_sequence(@table, @column)) FROM generate_series(1, @count)";
            AddParameter(command, "@table", table);
            AddParameter(command, "@column", column);
            AddParameter(command, "@count", count);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }

            ids.Sort();
            return ids;
        }

        command.CommandText = $"SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = @name), 0), "
            + $"COALESCE((SELECT max({sql.DelimitIdentifier(column)}) FROM {table}), 0))";
        AddParameter(command, "@name", tableName);
        var last = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        for (var i = 1; i <= count; i++)
        {
            ids.Add(last + i);
        }
        return ids;
    }

    private static IEntityType EntityOf<T>(LptrackerDbContext db) =>
        db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");

    /// <summary>The tracked path's guard (<see cref="LptrackerDbContext"/>), for rows the tracker never sees.</summary>
    private static void GuardTenant<T>(LptrackerDbContext db, IEntityType entity, IReadOnlyList<T> rows)
    {
        if (db.TenantAccountId is not { } tenant || entity.FindProperty("AccountId")?.PropertyInfo is not { } account)
        {
            return;
        }

        foreach (var row in rows)
        {
            if (account.GetValue(row) is not int owner || owner != tenant)
            {
                throw new InvalidOperationException("A tenant-scoped context tried to write another account's row.");
            }
        }
    }

    private static DbCommand NewCommand(LptrackerDbContext db)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk insert runs inside the caller's transaction (all or nothing).");
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string InsertText(ISqlGenerationHelper sql, StoreObjectIdentifier table, List<IProperty> columns, int rows)
    {
        var text = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!))).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (").AppendJoin(", ", Enumerable.Range(0, columns.Count).Select(c => Name(r, c, columns.Count))).Append(')');
        }

        return text.ToString();
    }

    private static string Name(int row, int column, int columns) => "@p" + (row * columns + column).ToString(CultureInfo.InvariantCulture);
}
