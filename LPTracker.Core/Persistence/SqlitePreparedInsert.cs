using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace LPTracker.Core.Persistence;

/// <summary>
/// <see cref="BulkInsert"/> on SQLite: one single-row <c>INSERT</c> with positional parameters (<c>?1…?n</c>),
/// prepared once per call on the context's connection and run once per row, values bound by index straight into
/// SQLite (<c>sqlite3_bind_*</c>). Through Microsoft.Data.Sqlite each parameter was bound by name — the name converted
/// to UTF-8 and looked up with a linear scan of the statement's names, 100 of them per multi-row statement — and
/// created, boxed and type-mapped per value; on SQLite a row costs no round trip, so one row per step is as fast as a
/// multi-row statement without any of that (bench/README.md, "Cold path, session 9"; decision 0094).
/// Values are converted exactly as the SQLite provider stores them (the property's value converter, then the provider's
/// own text for dates); a column whose provider type is not one of those below keeps the multi-row path
/// (<see cref="TryCreate"/> returns null).
/// </summary>
internal sealed class SqlitePreparedInsert
{
    private readonly string _sql;
    private readonly Func<object, object?>[] _values;
    private readonly Action<sqlite3_stmt, int, object>[] _binders;

    private SqlitePreparedInsert(string sql, Func<object, object?>[] values, Action<sqlite3_stmt, int, object>[] binders)
    {
        _sql = sql;
        _values = values;
        _binders = binders;
    }

    /// <summary>The insert of <paramref name="columns"/> into <paramref name="table"/>; null when a column's stored type
    /// is not one this binder writes as the provider would (that entity keeps the multi-row path).</summary>
    public static SqlitePreparedInsert? TryCreate(ISqlGenerationHelper sql, StoreObjectIdentifier table, IReadOnlyList<IProperty> columns)
    {
        var values = new Func<object, object?>[columns.Count];
        var binders = new Action<sqlite3_stmt, int, object>[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var property = columns[c];
            var mapping = property.GetRelationalTypeMapping();
            var converter = mapping.Converter;
            var providerType = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? property.ClrType)
                ?? converter?.ProviderClrType ?? property.ClrType;
            if (BinderFor(providerType) is not { } binder)
            {
                return null;
            }

            var info = property.PropertyInfo!;
            values[c] = converter is null
                ? info.GetValue
                : row => info.GetValue(row) is { } v ? converter.ConvertToProvider(v) : null;
            binders[c] = binder;
        }

        var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ("
            + string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!))) + ") VALUES ("
            + string.Join(", ", Enumerable.Range(1, columns.Count).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture))) + ")";
        return new SqlitePreparedInsert(text, values, binders);
    }

    /// <summary>Inserts the rows on <paramref name="connection"/> (open, inside the caller's transaction).</summary>
    public void Run<T>(SqliteConnection connection, IReadOnlyList<T> rows)
        where T : class
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(db, raw.sqlite3_prepare_v2(db, _sql, out var statement));
        using (statement)
        {
            foreach (var row in rows)
            {
                for (var c = 0; c < _values.Length; c++)
                {
                    if (_values[c](row) is { } value)
                    {
                        _binders[c](statement, c + 1, value);
                    }
                    else
                    {
                        raw.sqlite3_bind_null(statement, c + 1);
                    }
                }

                var rc = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    Check(db, rc);
                }
            }
        }
    }

    /// <summary>
    /// How Microsoft.Data.Sqlite stores a parameter of each provider type (its <c>SqliteValueBinder</c>): integers and
    /// booleans as INTEGER, floating point as REAL, strings as TEXT, <see cref="DateTime"/> as TEXT in the provider's
    /// format. Anything else (Guid, decimal, DateTimeOffset, TimeSpan, blobs…) is left to the multi-row path.
    /// </summary>
    private static Action<sqlite3_stmt, int, object>? BinderFor(Type type) => Type.GetTypeCode(type) switch
    {
        _ when type.IsEnum => null,
        TypeCode.Boolean => static (s, i, v) => raw.sqlite3_bind_int64(s, i, (bool)v ? 1 : 0),
        TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 =>
            static (s, i, v) => raw.sqlite3_bind_int64(s, i, Convert.ToInt64(v, CultureInfo.InvariantCulture)),
        TypeCode.Double or TypeCode.Single => static (s, i, v) => raw.sqlite3_bind_double(s, i, Convert.ToDouble(v, CultureInfo.InvariantCulture)),
        TypeCode.String => static (s, i, v) => raw.sqlite3_bind_text(s, i, (string)v),
        TypeCode.DateTime => static (s, i, v) =>
            raw.sqlite3_bind_text(s, i, ((DateTime)v).ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        _ => null,
    };

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }
}
