using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LPTracker.Core.Persistence;

/// <summary>Thrown when the database cannot be opened or migrated; carries a message meant for the operator.</summary>
public sealed class DatabaseStartupException(string message, Exception inner) : Exception(message, inner);

/// <summary>Creates the database folder and applies migrations at start-up (behind <c>Database:MigrateOnStartup</c>).</summary>
public sealed class DatabaseInitializer(IDbContextFactory<LptrackerDbContext> dbFactory, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
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
