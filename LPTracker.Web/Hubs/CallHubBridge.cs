using LPTracker.Core.Calls;
using LPTracker.Core.Live;
using Microsoft.AspNetCore.SignalR;

namespace LPTracker.Web.Hubs;

/// <summary>
/// Forwards calls to <c>/hubs/telephony</c>: pop-ups to the ringing employee's own connections only
/// (<see cref="TelephonyHub.EmployeeGroup"/>), live call state to those who may open the Employees list
/// (<see cref="TelephonyHub.PresenceGroup"/>). Which connection joins which group is the hub's business.
/// </summary>
public sealed class CallHubBridge(
    KeyedNotifier<PopUpChange> popUps,
    ChangeNotifier changes,
    LiveCallTracker tracker,
    IHubContext<TelephonyHub> hub,
    ILogger<CallHubBridge> logger) : IHostedService
{
    /// <summary>The client method that receives <see cref="IncomingCallMessage"/>s.</summary>
    public const string IncomingCallMethod = "incomingCall";

    /// <summary>The client method that receives <see cref="IncomingCallEndedMessage"/>s.</summary>
    public const string IncomingCallEndedMethod = "incomingCallEnded";

    /// <summary>The client method that receives <see cref="CallStateMessage"/>s.</summary>
    public const string CallStateMethod = "callState";

    private readonly List<IDisposable> _subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_subscriptions)
        {
            _subscriptions.Add(popUps.SubscribeAll(OnPopUp));
            _subscriptions.Add(changes.SubscribeAll(OnChange));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // WebApplicationFactory's dispose and the app's own Run can stop the host at the same time (bench/fanout ended
        // with "Collection was modified" here): take the subscriptions once, under the lock.
        IDisposable[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        return Task.CompletedTask;
    }

    private void OnPopUp(PopUpChange change)
    {
        var card = change.Card;
        var group = TelephonyHub.EmployeeGroup(card.EmployeeId);
        _ = change.Ended
            ? SendAsync(group, IncomingCallEndedMethod, new IncomingCallEndedMessage(card.CallId, card.LegId))
            : SendAsync(group, IncomingCallMethod, new IncomingCallMessage(
                card.CallId, card.LegId, card.ClientNumber, card.NumberHidden, card.ProjectId, card.ProjectName, card.DialledNumber, card.AtUtc,
                card.Contact?.Id, card.Contact?.Name));
    }

    private void OnChange(EmployeeChange change)
    {
        if (change.Kind != EmployeeChangeKind.CallState || change.EmployeeId is not { } employeeId)
        {
            return;
        }

        var state = tracker.Get(employeeId);
        _ = SendAsync(TelephonyHub.PresenceGroup(change.AccountId), CallStateMethod,
            new CallStateMessage(employeeId, state?.Activity.ToString() ?? "Idle", state?.SinceUtc));
    }

    private async Task SendAsync(string group, string method, object message)
    {
        try
        {
            await hub.Clients.Group(group).SendAsync(method, message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Could not send {Method} to {Group}", method, group);
        }
    }
}

/// <summary>An incoming-call pop-up as the hub sends it; the number is null when the employee hides client numbers.</summary>
public sealed record IncomingCallMessage(
    Guid CallId, Guid LegId, string? ClientNumber, bool NumberHidden, int? ProjectId, string? ProjectName, string? DialledNumber, DateTime AtUtc,
    int? ContactId, string? ContactName);

/// <summary>The pop-up of this leg is gone (answered, cancelled, declined, timed out).</summary>
public sealed record IncomingCallEndedMessage(Guid CallId, Guid LegId);

/// <summary>An employee's live call state: <c>Ringing</c>, <c>Talking</c> or <c>Idle</c>, and since when.</summary>
public sealed record CallStateMessage(int EmployeeId, string State, DateTime? SinceUtc);
