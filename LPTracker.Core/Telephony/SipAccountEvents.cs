namespace LPTracker.Core.Telephony;

/// <summary>
/// Hooks the telephony module implements to react to SIP account changes made in the console (register your own
/// implementation in DI; it replaces the no-op default). Called after the change is committed.
/// </summary>
public interface ISipAccountEvents
{
    /// <summary>
    /// An employee got SIP credentials for the first time: the registrar must know <paramref name="userName"/> before
    /// the administrator has typed the data into a phone.
    /// </summary>
    Task OnCredentialsIssuedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>
    /// An employee's SIP credentials were regenerated: the old password no longer works, so existing registrations
    /// (bindings) of <paramref name="userName"/> should be dropped.
    /// </summary>
    Task OnCredentialsReplacedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default);

    /// <summary>
    /// An employee and their SIP account were deleted: registrations of <paramref name="userName"/> must end now.
    /// </summary>
    Task OnAccountRemovedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default);
}

/// <summary>The default when no registrar runs in the process: nothing to tell.</summary>
public sealed class NoSipAccountEvents : ISipAccountEvents
{
    public Task OnCredentialsReplacedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        Task.CompletedTask;

    public Task OnAccountRemovedAsync(int accountId, int employeeId, string userName, CancellationToken ct = default) =>
        Task.CompletedTask;
}
