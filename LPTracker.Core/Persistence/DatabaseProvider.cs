using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace LPTracker.Core.Persistence;

/// <summary>The database engine behind the console (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file: the default, nothing to install (one node).</summary>
    Sqlite,

    /// <summary>PostgreSQL: shared by several console nodes.</summary>
    Postgres,
}

/// <summary>Reads the provider switch and configures EF Core for it, with the provider's own migration set.</summary>
public static class DatabaseProviders
{
    /// <summary>The namespace (folder) of the SQLite migrations.</summary>
    public const string SqliteMigrations = "LPTracker.Core.Persistence.Migrations";

    /// <summary>The namespace (folder) of the PostgreSQL migrations.</summary>
    public const string PostgresMigrations = "LPTracker.Core.Persistence.Migrations.Postgres";

    /// <summary>The configured provider; an unknown name stops start-up with the accepted values.</summary>
    public static DatabaseProvider Read(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(value.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider '{value}' is not known: use Sqlite or Postgres.");
    }

    /// <summary>Points <paramref name="options"/> at the provider and its migration set.</summary>
    public static DbContextOptionsBuilder UseProvider(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        _ = provider switch
        {
            DatabaseProvider.Postgres => UseNpgsql(options, connectionString),
            _ => options.UseSqlite(connectionString),
        };
        return options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    // Apart so that a SQLite node never loads the PostgreSQL provider: the JIT loads every assembly a method's code names
    // when it compiles the method, taken branch or not (decision 0097).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DbContextOptionsBuilder UseNpgsql(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString);

    /// <summary>True when the context runs on PostgreSQL.</summary>
    public static bool IsPostgres(this DbContext db) => db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";
}
