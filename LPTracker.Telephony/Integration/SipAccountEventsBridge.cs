using LPTracker.Core.Telephony;
using LPTracker.Telephony.Registrar;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// Keeps the registrar coherent with the console: issued or regenerated credentials are read into the in-memory map
/// at once; regenerated or deleted ones also end every registration of the user (the grid then shows Disconnected).
/// </summary>
public sealed class SipAccountEventsBridge(SipCredentialMap credentials, ILocationStore locations) : ISipAccountEvents
{
    public Task OnCredentialsIssuedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        credentials.RefreshAsync(userName, ct);

    public async Task OnCredentialsReplacedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default)
    {
        await credentials.RefreshAsync(userName, ct);
        await locations.RemoveUserAsync(userName, ct);
    }

    public async Task OnAccountRemovedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default)
    {
        credentials.Remove(userName);
        await locations.RemoveUserAsync(userName, ct);
    }
}
