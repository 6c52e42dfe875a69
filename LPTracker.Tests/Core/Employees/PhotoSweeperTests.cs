using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LPTracker.Tests.Core.Employees;

public sealed class PhotoSweeperTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Write(string name, TimeSpan age)
    {
        var folder = _host.Get<IOptions<PhotoOptions>>().Value.Folder;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF]);
        File.SetLastWriteTimeUtc(path, _host.Time.GetUtcNow().UtcDateTime - age);
        return path;
    }

    [Fact]
    public async Task Old_files_no_employee_refers_to_are_removed_and_the_rest_stay()
    {
        var owner = await _host.SignUpAsync();
        var used = $"{Guid.NewGuid():N}.jpg";
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            await db.Employees.Where(e => e.Id == owner.EmployeeId).ExecuteUpdateAsync(s => s.SetProperty(e => e.PhotoFile, used));
        }

        var referenced = Write(used, TimeSpan.FromDays(30));
        var orphan = Write($"{Guid.NewGuid():N}.jpg", TimeSpan.FromDays(2));
        var fresh = Write($"{Guid.NewGuid():N}.jpg", TimeSpan.FromHours(1));
        var foreign = Write("notes.txt", TimeSpan.FromDays(30));

        var removed = await _host.Get<PhotoSweeper>().SweepAsync();

        Assert.Equal(1, removed);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(referenced));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public async Task A_missing_photo_folder_is_nothing_to_sweep()
    {
        var removed = await _host.Get<PhotoSweeper>().SweepAsync();

        Assert.Equal(0, removed);
    }
}
