using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LPTracker.Core.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<LptrackerDbContext>
{
    public LptrackerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LptrackerDbContext>().UseSqlite("Data Source=design.db").Options);
}
