using LPTracker.Core.Employees;

namespace LPTracker.Web;

/// <summary>Runs the photo orphan sweep shortly after start-up and then once a day.</summary>
public sealed class PhotoSweepService(PhotoSweeper sweeper, TimeProvider time, ILogger<PhotoSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
        do
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                logger.LogWarning(ex, "The photo sweep failed; it runs again tomorrow");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
