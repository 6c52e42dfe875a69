using LPTracker.Core.Telephony;
using LPTracker.Telephony.Registrar;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// Ends registrations the moment the console replaces or deletes a SIP account: the cached credentials are
/// forgotten and every binding of the user is dropped (the grid then shows Disconnected).
/// </summary>
public sealed class SipAccountEventsBridge(DbSipUserDirectory directory, ILocationStore locations) : ISipAccountEvents
{
    public Task OnCredentialsReplacedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        DropAsync(userName, ct);

    public Task OnAccountRemovedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        DropAsync(userName, ct);

    private async Task DropAsync(string userName, CancellationToken ct)
    {
        directory.Evict(userName);
        await locations.RemoveUserAsync(userName, ct);
    }
}
