using System.Data.Common;
using System.Text;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using CoreBinding = LPTracker.Core.Telephony.SipBinding;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// Inserts binding rows with multi-row <c>INSERT … VALUES</c> statements on the context's connection and transaction,
/// bypassing the change tracker: after a restart every phone re-registers at once and each new binding is a row, and
/// tracking 10,000 entities through <c>SaveChanges</c> (change detection, the audit interceptor's scan, one command
/// per row) cost more CPU than the registrations themselves. Table and column names come from the EF model and are
/// quoted by the provider, so SQLite and PostgreSQL take the same statement.
/// </summary>
internal static class BindingRowInserter
{
    private const int RowsPerStatement = 100;

    private static readonly (string Property, Func<CoreBinding, object?> Value)[] Columns =
    [
        (nameof(CoreBinding.NodeId), b => b.NodeId),
        (nameof(CoreBinding.UserName), b => b.UserName),
        (nameof(CoreBinding.EmployeeId), b => b.EmployeeId),
        (nameof(CoreBinding.AccountId), b => b.AccountId),
        (nameof(CoreBinding.ContactUri), b => b.ContactUri),
        (nameof(CoreBinding.CallId), b => b.CallId),
        (nameof(CoreBinding.CSeq), b => b.CSeq),
        (nameof(CoreBinding.ExpiresUtc), b => DateTime.SpecifyKind(b.ExpiresUtc, DateTimeKind.Utc)),
        (nameof(CoreBinding.RegisteredUtc), b => DateTime.SpecifyKind(b.RegisteredUtc, DateTimeKind.Utc)),
        (nameof(CoreBinding.UserAgent), b => b.UserAgent),
        (nameof(CoreBinding.RemoteEndPoint), b => b.RemoteEndPoint),
        (nameof(CoreBinding.Q), b => b.Q),
        (nameof(CoreBinding.InstanceId), b => b.InstanceId),
        (nameof(CoreBinding.RegId), b => b.RegId),
    ];

    /// <summary>Inserts <paramref name="rows"/> inside the context's current transaction.</summary>
    public static async Task InsertAsync(LptrackerDbContext db, IReadOnlyList<CoreBinding> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var prefix = Prefix(db);
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder(prefix);
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? " (" : ", (");
                for (var c = 0; c < Columns.Length; c++)
                {
                    var name = $"@p{(r * Columns.Length) + c}";
                    sql.Append(c == 0 ? name : ", " + name);
                    Add(command, name, Columns[c].Value(rows[start + r]));
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary><c>INSERT INTO "SipBindings" ("NodeId", …) VALUES</c>, quoted as the provider quotes.</summary>
    private static string Prefix(LptrackerDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(CoreBinding))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var quote = db.GetService<ISqlGenerationHelper>();
        var columns = Columns.Select(c => quote.DelimitIdentifier(entity.FindProperty(c.Property)!.GetColumnName(table)!));
        return $"INSERT INTO {quote.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns)}) VALUES";
    }
}
