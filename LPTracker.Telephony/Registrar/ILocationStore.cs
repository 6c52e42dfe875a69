namespace LPTracker.Telephony.Registrar;

/// <summary>A replacement binding list for one user together with a caller-defined result.</summary>
/// <typeparam name="T">The caller's result type.</typeparam>
/// <param name="Bindings">The new bindings, or null to leave the user unchanged.</param>
/// <param name="Result">Returned to the caller of <see cref="ILocationStore.UpdateAsync{T}"/>.</param>
public readonly record struct BindingUpdate<T>(IReadOnlyList<SipBinding>? Bindings, T Result);

/// <summary>
/// The location service (RFC 3261 §10.2): bindings per SIP user. Updates for one user are serialised; every
/// durable change is written through <see cref="IBindingPersistence"/> (<see cref="BindingDurability"/>: a refresh
/// that only moves the expiry a little is not) and every change is announced to <see cref="Changed"/>.
/// </summary>
public interface ILocationStore
{
    /// <summary>Raised after the bindings of a user changed (registration, expiry, reachability, removal),
    /// with the user's current live-or-expiring bindings. Handlers run on the updating thread, under the user's lock.
    /// A refresh of an unchanged contact and a qualify result update the binding in place (decision 0090): the list may
    /// be the one announced before, so a handler compares with state of its own, never with an earlier list.</summary>
    event Action<string, IReadOnlyList<SipBinding>>? Changed;

    /// <summary>Number of bindings held.</summary>
    int Count { get; }

    /// <summary>Unexpired bindings of a user.</summary>
    IReadOnlyList<SipBinding> GetBindings(string userName);

    /// <summary>A snapshot of every unexpired binding (for qualify and diagnostics).</summary>
    IReadOnlyList<SipBinding> GetAll();

    /// <summary>
    /// Atomically reads a user's unexpired bindings, lets <paramref name="decide"/> compute the replacement, stores
    /// and persists it. <paramref name="decide"/> receives the current time and must not block.
    /// </summary>
    ValueTask<T> UpdateAsync<T>(
        string userName, Func<IReadOnlyList<SipBinding>, DateTimeOffset, BindingUpdate<T>> decide,
        CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="UpdateAsync{T}"/> with the caller's <paramref name="state"/> passed to <paramref name="decide"/>, so a
    /// static lambda serves every call (the registrar's REGISTER path: no closure and no delegate per request).
    /// </summary>
    ValueTask<T> UpdateAsync<TState, T>(
        string userName, TState state, Func<TState, IReadOnlyList<SipBinding>, DateTimeOffset, BindingUpdate<T>> decide,
        CancellationToken cancellationToken);

    /// <summary>Drops all bindings of a user at once (SIP data regenerated, employee deleted); returns how many.</summary>
    ValueTask<int> RemoveUserAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Records a qualify result (with the answer's round-trip time) or a closed connection for one binding
    /// (not persisted).</summary>
    ValueTask SetReachabilityAsync(string userName, string contactKey, bool answered, int maxMisses, CancellationToken cancellationToken,
        TimeSpan? roundTrip = null);

    /// <summary>Marks every binding carried by a closed TCP connection unreachable.</summary>
    ValueTask ConnectionClosedAsync(long connectionId, CancellationToken cancellationToken);

    /// <summary>Loads persisted bindings (at startup); expired ones are dropped.</summary>
    ValueTask LoadAsync(CancellationToken cancellationToken);

    /// <summary>Writes the bindings whose live expiry is ahead of the stored one (refreshes <see cref="BindingDurability"/>
    /// let through unwritten), so a clean restart restores every expiry exactly; called when the server stops.</summary>
    ValueTask PersistLaggingAsync(CancellationToken cancellationToken);

    /// <summary>Removes expired bindings; runs periodically on the store's timer, callable from tests.</summary>
    ValueTask RemoveExpiredAsync(CancellationToken cancellationToken);
}
