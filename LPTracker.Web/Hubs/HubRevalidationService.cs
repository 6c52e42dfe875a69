using LPTracker.Core.Live;

namespace LPTracker.Web.Hubs;

/// <summary>
/// Drives <see cref="HubConnections"/>: a deleted employee's connections close at once, a saved employee's are
/// re-checked at once (new password, changed rights), and every connection every 30 seconds (a stamp changed some
/// other way).
/// </summary>
public sealed class HubRevalidationService(HubConnections connections, ChangeNotifier notifier, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = notifier.SubscribeAll(OnChange);
        using var timer = new PeriodicTimer(HubConnections.RevalidationInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await connections.RevalidateAllAsync(stoppingToken);
        }
    }

    private void OnChange(EmployeeChange change)
    {
        switch (change)
        {
            case { Kind: EmployeeChangeKind.Deleted, EmployeeId: { } deleted }:
                connections.Close(deleted);
                break;
            case { Kind: EmployeeChangeKind.Updated, EmployeeId: { } updated }:
                _ = connections.RevalidateAsync(updated);
                break;
        }
    }
}
