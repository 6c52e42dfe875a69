using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LPTracker.Core.Persistence;

/// <summary>Thrown when the database cannot be opened or migrated; carries a message meant for the operator.</summary>
public sealed class DatabaseStartupException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Applies the provider's migrations at start-up (behind <c>Database:MigrateOnStartup</c>); for SQLite it also
/// creates the file's folder. Several PostgreSQL nodes may start at once: EF Core takes a migration lock.
/// </summary>
public sealed class DatabaseInitializer(IDbContextFactory<LptrackerDbContext> dbFactory, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.IsPostgres())
        {
            await MigratePostgresAsync(db, ct);
        }
        else
        {
            await MigrateSqliteAsync(db, ct);
        }
    }

    private async Task MigratePostgresAsync(LptrackerDbContext db, CancellationToken ct)
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        var where = $"{connection.Host}:{connection.Port}/{connection.Database}";
        try
        {
            await db.Database.MigrateAsync(ct);
        }
        catch (DbException ex) when (ex is Npgsql.NpgsqlException)
        {
            throw new DatabaseStartupException(
                $"PostgreSQL at {where} cannot be used ({ex.Message}). Check ConnectionStrings:Lptracker, that the server runs and that the user may create tables.", ex);
        }

        logger.LogInformation("Database ready: PostgreSQL {Database}", where);
    }

    private async Task MigrateSqliteAsync(LptrackerDbContext db, CancellationToken ct)
    {
        var connection = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        var file = connection.DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        try
        {
            await db.Database.MigrateAsync(ct);

            // WAL lets the grid read while the registrar writes bindings.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            throw new DatabaseStartupException(
                $"The database file '{file}' is locked by another process. Stop the other process (or point ConnectionStrings:Lptracker elsewhere) and start again.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            throw new DatabaseStartupException(
                $"The database file '{file}' is not a valid SQLite database (corrupt or another kind of file). Restore it from a backup or move it away to start with an empty database.", ex);
        }

        logger.LogInformation("Database ready at {File}", file);
    }
}
