using LPTracker.Core;
using LPTracker.Core.Persistence;
using LPTracker.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Tests.Core.Persistence;

public sealed class DatabaseStartupTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private DatabaseInitializer InitializerFor(string file)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder.Path });
        builder.Configuration["ConnectionStrings:Lptracker"] = $"Data Source={file};Pooling=False";
        builder.Services.AddLogging();
        builder.AddCore();
        return builder.Services.BuildServiceProvider().GetRequiredService<DatabaseInitializer>();
    }

    [Fact]
    public async Task A_missing_database_file_and_its_folder_are_created()
    {
        var file = Path.Combine(_folder.Path, "nested", "dir", "app.db");

        await InitializerFor(file).InitializeAsync();

        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task A_corrupt_database_file_stops_start_up_with_a_clear_message()
    {
        var file = Path.Combine(_folder.Path, "corrupt.db");
        await File.WriteAllBytesAsync(file, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());

        var error = await Assert.ThrowsAsync<DatabaseStartupException>(() => InitializerFor(file).InitializeAsync());

        Assert.Contains("not a valid SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_locked_by_another_process_stops_start_up_with_a_clear_message()
    {
        var file = Path.Combine(_folder.Path, "locked.db");
        await using (var create = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await create.OpenAsync();
        }

        await using var locker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        await locker.OpenAsync();
        await using (var cmd = locker.CreateCommand())
        {
            cmd.CommandText = "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;";
            await cmd.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<DatabaseStartupException>(() => InitializerFor(file).InitializeAsync());

        Assert.Contains("locked", error.Message, StringComparison.Ordinal);
    }
}
