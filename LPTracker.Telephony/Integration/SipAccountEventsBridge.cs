using LPTracker.Core.Cluster;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Registrar;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// Keeps the registrar coherent with the console: issued or regenerated credentials are read into the in-memory map
/// at once; regenerated or deleted ones also end every registration of the user (the grid then shows Disconnected).
/// With several nodes the change is sent to the other nodes, whose registrars do the same.
/// </summary>
public sealed class SipAccountEventsBridge : ISipAccountEvents, IDisposable
{
    private readonly SipCredentialMap _credentials;
    private readonly ILocationStore _locations;
    private readonly NodeExchange<SipAccountChange> _exchange;
    private readonly ILogger<SipAccountEventsBridge> _logger;

    public SipAccountEventsBridge(SipCredentialMap credentials, ILocationStore locations, NodeExchange<SipAccountChange> exchange,
        ILogger<SipAccountEventsBridge> logger)
    {
        _credentials = credentials;
        _locations = locations;
        _exchange = exchange;
        _logger = logger;
        _exchange.Received += OnReceived;
    }

    public Task OnCredentialsIssuedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        ApplyAndTellAsync(new SipAccountChange(accountId, employeeId, userName, SipAccountChangeKind.Issued), ct);

    public Task OnCredentialsReplacedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        ApplyAndTellAsync(new SipAccountChange(accountId, employeeId, userName, SipAccountChangeKind.Replaced), ct);

    public Task OnAccountRemovedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        ApplyAndTellAsync(new SipAccountChange(accountId, employeeId, userName, SipAccountChangeKind.Removed), ct);

    public void Dispose() => _exchange.Received -= OnReceived;

    private async Task ApplyAndTellAsync(SipAccountChange change, CancellationToken ct)
    {
        await ApplyAsync(change, ct).ConfigureAwait(false);
        _exchange.Publish(change);
    }

    private async Task ApplyAsync(SipAccountChange change, CancellationToken ct)
    {
        switch (change.Kind)
        {
            case SipAccountChangeKind.Issued:
                await _credentials.RefreshAsync(change.UserName, ct).ConfigureAwait(false);
                break;
            case SipAccountChangeKind.Replaced:
                await _credentials.RefreshAsync(change.UserName, ct).ConfigureAwait(false);
                await _locations.RemoveUserAsync(change.UserName, ct).ConfigureAwait(false);
                break;
            default:
                _credentials.Remove(change.UserName);
                await _locations.RemoveUserAsync(change.UserName, ct).ConfigureAwait(false);
                break;
        }
    }

    private void OnReceived(SipAccountChange change) => _ = ApplyRelayedAsync(change);

    private async Task ApplyRelayedAsync(SipAccountChange change)
    {
        try
        {
            await ApplyAsync(change, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "SIP credentials of {User} changed on another node and could not be read here", change.UserName);
        }
    }
}
