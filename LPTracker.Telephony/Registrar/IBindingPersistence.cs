namespace LPTracker.Telephony.Registrar;

/// <summary>
/// Durable storage for bindings, called by the location store. Each save replaces all bindings of one user, so an
/// adapter is a delete-then-insert per user. Saves for one user never overlap and arrive in order.
/// </summary>
public interface IBindingPersistence
{
    /// <summary>Loads every stored binding at startup; expired ones are discarded by the store.</summary>
    ValueTask<IReadOnlyList<SipBinding>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored bindings of <paramref name="userName"/> (an empty list deletes them).</summary>
    ValueTask SaveAsync(string userName, IReadOnlyList<SipBinding> bindings, CancellationToken cancellationToken);
}

/// <summary>Keeps nothing: bindings live in memory only. The default until Core supplies an EF-backed adapter.</summary>
public sealed class NullBindingPersistence : IBindingPersistence
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SipBinding>> LoadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<SipBinding>>([]);

    /// <inheritdoc />
    public ValueTask SaveAsync(string userName, IReadOnlyList<SipBinding> bindings, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
