using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LPTracker.Core.Persistence;

/// <summary>
/// The migrations of the context's provider only: both sets live in this assembly, each in its own namespace
/// (<see cref="DatabaseProviders.SqliteMigrations"/>, <see cref="DatabaseProviders.PostgresMigrations"/>), and both
/// start with an "Initial" — EF's default would mix them. Used at run time and by <c>dotnet ef</c> alike.
/// </summary>
internal sealed class ProviderMigrationsAssembly(ICurrentDbContext current) : IMigrationsAssembly
{
    private readonly Lazy<(SortedList<string, TypeInfo> Migrations, ModelSnapshot? Snapshot)> _found = new(() => Find(current.Context));

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _found.Value.Migrations;

    public ModelSnapshot? ModelSnapshot => _found.Value.Snapshot;

    public Assembly Assembly => typeof(LptrackerDbContext).Assembly;

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase))
        ?? Migrations.Keys.FirstOrDefault(id => string.Equals(NameOf(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    /// <summary>Ids are <c>yyyyMMddHHmmss_Name</c>.</summary>
    private static string NameOf(string id) => id.Length > 15 && id[14] == '_' ? id[15..] : id;

    private static (SortedList<string, TypeInfo>, ModelSnapshot?) Find(DbContext context)
    {
        var ns = context.IsPostgres() ? DatabaseProviders.PostgresMigrations : DatabaseProviders.SqliteMigrations;
        var contextType = context.GetType();
        var types = typeof(LptrackerDbContext).Assembly.DefinedTypes
            .Where(t => !t.IsAbstract && t.Namespace == ns && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == contextType)
            .ToList();
        var migrations = new SortedList<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var t in types.Where(t => t.IsSubclassOf(typeof(Migration))))
        {
            if (t.GetCustomAttribute<MigrationAttribute>()?.Id is { } id)
            {
                migrations.Add(id, t);
            }
        }

        var snapshot = types.FirstOrDefault(t => t.IsSubclassOf(typeof(ModelSnapshot)));
        return (migrations, snapshot is null ? null : (ModelSnapshot)Activator.CreateInstance(snapshot.AsType())!);
    }
}
