using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LPTracker.Core.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the web app. SQLite by default; the
/// PostgreSQL set is generated with <c>-- --provider Postgres</c> and <c>--output-dir Persistence/Migrations/Postgres</c>
/// (no server is needed to add a migration).
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<LptrackerDbContext>
{
    public LptrackerDbContext CreateDbContext(string[] args)
    {
        var i = Array.FindIndex(args, a => a == "--provider");
        var postgres = i >= 0 && i + 1 < args.Length && args[i + 1].Equals(nameof(DatabaseProvider.Postgres), StringComparison.OrdinalIgnoreCase);
        var options = new DbContextOptionsBuilder<LptrackerDbContext>();
        if (postgres)
        {
            options.UseProvider(DatabaseProvider.Postgres, "Host=localhost;Database=lptracker_design");
        }
        else
        {
            options.UseProvider(DatabaseProvider.Sqlite, "Data Source=design.db");
        }

        return new LptrackerDbContext(options.Options);
    }
}
