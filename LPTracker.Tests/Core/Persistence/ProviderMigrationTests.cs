using LPTracker.Core;
using LPTracker.Core.Persistence;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Tests.Core.Persistence;

/// <summary>One migration set per provider (<c>Database:Provider</c>), each complete and applied at start-up.</summary>
public sealed class ProviderMigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void Each_providers_migrations_match_the_model(DatabaseProvider provider)
    {
        using var db = Context(provider, provider == DatabaseProvider.Postgres ? "Host=127.0.0.1;Database=none" : "Data Source=:memory:");

        Assert.False(db.Database.HasPendingModelChanges(), $"the {provider} migrations miss model changes: add a migration for {provider}");
    }

    [Fact]
    public void The_two_sets_are_kept_apart()
    {
        using var sqlite = Context(DatabaseProvider.Sqlite, "Data Source=:memory:");
        using var postgres = Context(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=none");

        var sqliteIds = sqlite.Database.GetMigrations().ToList();
        var postgresIds = postgres.Database.GetMigrations().ToList();

        Assert.NotEmpty(sqliteIds);
        Assert.NotEmpty(postgresIds);
        Assert.Empty(sqliteIds.Intersect(postgresIds));
        Assert.Contains(sqliteIds, id => id.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Contains(postgresIds, id => id.EndsWith("_Initial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_up_migrates_an_empty_postgres_database_and_a_second_start_finds_nothing_to_do()
    {
        var connection = await (await PostgresTestServer.SharedAsync()).CreateDatabaseAsync();
        using var folder = new TempFolder();

        await Initializer(folder, connection).InitializeAsync();
        await Initializer(folder, connection).InitializeAsync();

        await using var db = Context(DatabaseProvider.Postgres, connection);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(0, await db.Accounts.IgnoreQueryFilters().CountAsync());
    }

    [Fact]
    public async Task An_unreachable_postgres_stops_start_up_with_a_message_naming_the_server()
    {
        using var folder = new TempFolder();
        var port = SmtpTestServer.FreePort();

        var ex = await Assert.ThrowsAsync<DatabaseStartupException>(() =>
            Initializer(folder, $"Host=127.0.0.1;Port={port};Username=postgres;Database=x;Timeout=3").InitializeAsync());

        Assert.Contains($"127.0.0.1:{port}/x", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_name_is_refused_with_the_accepted_values()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = "mysql" }).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => DatabaseProviders.Read(config));

        Assert.Contains("Sqlite or Postgres", ex.Message, StringComparison.Ordinal);
    }

    private static LptrackerDbContext Context(DatabaseProvider provider, string connection)
    {
        var options = new DbContextOptionsBuilder<LptrackerDbContext>();
        options.UseProvider(provider, connection);
        return new LptrackerDbContext(options.Options);
    }

    private static DatabaseInitializer Initializer(TempFolder folder, string connection)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.Path });
        builder.Configuration["Database:Provider"] = "Postgres";
        builder.Configuration["ConnectionStrings:Lptracker"] = connection;
        builder.Configuration["DataFolder"] = folder.Path;
        builder.Services.AddLogging();
        builder.AddCore();
        return builder.Services.BuildServiceProvider().GetRequiredService<DatabaseInitializer>();
    }
}
