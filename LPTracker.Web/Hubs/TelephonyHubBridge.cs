using LPTracker.Core.Live;
using LPTracker.Core.Telephony;
using Microsoft.AspNetCore.SignalR;

namespace LPTracker.Web.Hubs;

/// <summary>
/// Forwards SIP status changes from the in-process notifier: with device and address to those who may edit employees,
/// without them to the rest of those who may open the list, to nobody else.
/// </summary>
public sealed class TelephonyHubBridge(
    ChangeNotifier notifier,
    ISipPresenceSource presence,
    IHubContext<TelephonyHub> hub,
    ILogger<TelephonyHubBridge> logger) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = notifier.SubscribeAll(OnChange);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private void OnChange(EmployeeChange change)
    {
        if (change.Kind != EmployeeChangeKind.SipStatus || change.EmployeeId is not { } employeeId)
        {
            return;
        }

        var now = presence.Get(employeeId);
        var message = new SipStatusEvent(employeeId, now.Status.ToString(), now.SinceUtc, now.Device, now.Address);
        _ = SendAsync(change.AccountId, message);
    }

    private async Task SendAsync(int accountId, SipStatusEvent message)
    {
        try
        {
            await hub.Clients.Group(TelephonyHub.PresenceDetailsGroup(accountId)).SendAsync(TelephonyHub.SipStatusMethod, message);
            await hub.Clients.Group(TelephonyHub.PresenceBasicGroup(accountId))
                .SendAsync(TelephonyHub.SipStatusMethod, message with { Device = null, Address = null });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Could not send a SIP status event to account {AccountId}", accountId);
        }
    }
}
