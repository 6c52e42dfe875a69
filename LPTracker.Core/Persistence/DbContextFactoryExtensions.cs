using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Persistence;

/// <summary>Short-lived contexts, one per operation, scoped to one account.</summary>
public static class DbContextFactoryExtensions
{
    /// <summary>A context that sees and may write only the rows of <paramref name="accountId"/>.</summary>
    public static async Task<LptrackerDbContext> ForTenantAsync(
        this IDbContextFactory<LptrackerDbContext> factory, int accountId, CancellationToken ct = default)
    {
        var db = await factory.CreateDbContextAsync(ct);
        db.TenantAccountId = accountId;
        return db;
    }

    /// <summary>True when the exception is a UNIQUE constraint failure (SQLite's or PostgreSQL's).</summary>
    public static bool IsUniqueViolation(this DbUpdateException ex) => ex.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } sqlite => sqlite.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase),
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
