using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// The location store in memory, written through to <see cref="IBindingPersistence"/>. Per-user updates are
/// serialised by a striped async lock (bounded memory, no lock per user); expiry runs on a timer from the
/// injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class InMemoryLocationStore : ILocationStore, IDisposable
{
    private const int Stripes = 64;
    private readonly ConcurrentDictionary<string, IReadOnlyList<SipBinding>> _users = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly IBindingPersistence _persistence;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _expiryTimer;
    private int _count;

    /// <summary>Creates the store; expired bindings are swept every <paramref name="sweepInterval"/> (default 1 s).</summary>
    public InMemoryLocationStore(IBindingPersistence persistence, TimeProvider time, ILogger<InMemoryLocationStore> logger,
        TimeSpan? sweepInterval = null)
    {
        _persistence = persistence;
        _time = time;
        _logger = logger;
        var interval = sweepInterval ?? TimeSpan.FromSeconds(1);
        _expiryTimer = time.CreateTimer(_ => _ = SweepFromTimerAsync(), null, interval, interval);
    }

    /// <inheritdoc />
    public event Action<string, IReadOnlyList<SipBinding>>? Changed;

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public IReadOnlyList<SipBinding> GetBindings(string userName)
    {
        if (!_users.TryGetValue(userName, out var list))
        {
            return [];
        }

        return Unexpired(list, _time.GetUtcNow());
    }

    /// <summary>The list itself when nothing in it expired. The filter is a method of its own: a lambda capturing
    /// <c>now</c> allocates its closure on entry to the method declaring <c>now</c>, filtered or not.</summary>
    private static IReadOnlyList<SipBinding> Unexpired(IReadOnlyList<SipBinding> list, DateTimeOffset now) =>
        AnyExpired(list, now) ? WithoutExpired(list, now) : list;

    private static SipBinding[] WithoutExpired(IReadOnlyList<SipBinding> list, DateTimeOffset now) =>
        list.Where(b => b.ExpiresAt > now).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<SipBinding> GetAll()
    {
        var now = _time.GetUtcNow();
        return _users.Values.SelectMany(l => l).Where(b => b.ExpiresAt > now).ToList();
    }

    /// <inheritdoc />
    public ValueTask<T> UpdateAsync<T>(string userName, Func<IReadOnlyList<SipBinding>, DateTimeOffset, BindingUpdate<T>> decide,
        CancellationToken cancellationToken) =>
        UpdateAsync(userName, decide, static (d, current, now) => d(current, now), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<T> UpdateAsync<TState, T>(
        string userName, TState state, Func<TState, IReadOnlyList<SipBinding>, DateTimeOffset, BindingUpdate<T>> decide,
        CancellationToken cancellationToken)
    {
        var gate = LockFor(userName);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            // One lookup serves both the decision and the replacement (it is what ReplaceAsync would read again: the
            // user's lock is held, so nothing else changes it in between).
            _users.TryGetValue(userName, out var stored);
            var current = stored is null ? [] : Unexpired(stored, now);
            var update = decide(state, current, now);
            if (update.Bindings is { } replacement)
            {
                await ReplaceAsync(userName, stored, replacement, persist: true, cancellationToken).ConfigureAwait(false);
            }

            return update.Result;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> RemoveUserAsync(string userName, CancellationToken cancellationToken) =>
        await UpdateAsync(userName, (current, _) => new BindingUpdate<int>(current.Count > 0 ? [] : null, current.Count),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetReachabilityAsync(string userName, string contactKey, bool answered, int maxMisses,
        CancellationToken cancellationToken, TimeSpan? roundTrip = null)
    {
        var gate = LockFor(userName);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = GetBindings(userName);
            var old = Find(current, contactKey);
            if (old is null)
            {
                return;
            }

            var missed = answered ? 0 : old.MissedPings + 1;
            var state = answered ? Reachability.Reachable
                : missed >= maxMisses ? Reachability.Unreachable : old.Reachability;
            if (state == old.Reachability && missed == old.MissedPings && roundTrip is null)
            {
                return;
            }

            // In place, as a refresh is (decision 0090): a qualify answer per contact every interval replaced the binding
            // and its list each time. The change is still announced, as a replacement was.
            if (answered)
            {
                old.SetQualify(state, 0, _time.GetUtcNow(), roundTrip ?? old.RoundTrip);
            }
            else
            {
                old.SetQualify(state, missed, old.LastQualifiedAt, old.RoundTrip);
            }

            await ReplaceAsync(userName, current, persist: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask ConnectionClosedAsync(long connectionId, CancellationToken cancellationToken)
    {
        var affected = _users.Where(p => p.Value.Any(b => b.ConnectionId == connectionId)).Select(p => p.Key).ToList();
        foreach (var user in affected)
        {
            foreach (var binding in GetBindings(user).Where(b => b.ConnectionId == connectionId))
            {
                await SetReachabilityAsync(user, binding.ContactKey, answered: false, maxMisses: 0, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await _persistence.LoadAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        foreach (var group in stored.Where(b => b.ExpiresAt > now).GroupBy(b => b.UserName, StringComparer.Ordinal))
        {
            // Connections did not survive the restart; qualify decides reachability afresh. Not written back: it is
            // what the database holds.
            var list = group.Select(b => b with
            {
                ConnectionId = 0, Reachability = Reachability.Unknown, MissedPings = 0, StoredExpiresAt = b.ExpiresAt,
            }).ToArray();
            var gate = LockFor(group.Key);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ReplaceAsync(group.Key, list, persist: false, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        _logger.LogInformation("Loaded {Count} SIP bindings from persistence", Count);
    }

    /// <inheritdoc />
    public async ValueTask RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var pair in _users)
        {
            if (AnyExpired(pair.Value, now))
            {
                await UpdateAsync(pair.Key, (current, _) => new BindingUpdate<bool>(current, true), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask PersistLaggingAsync(CancellationToken cancellationToken)
    {
        foreach (var pair in _users)
        {
            if (!BindingDurability.Lags(pair.Value))
            {
                continue;
            }

            var gate = LockFor(pair.Key);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_users.TryGetValue(pair.Key, out var current) && BindingDurability.Lags(current))
                {
                    var written = BindingDurability.AsWritten(current);
                    await _persistence.SaveAsync(pair.Key, written, cancellationToken).ConfigureAwait(false);
                    _users[pair.Key] = written;
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _expiryTimer.Dispose();

    private ValueTask ReplaceAsync(string userName, IReadOnlyList<SipBinding> replacement, bool persist,
        CancellationToken cancellationToken) =>
        ReplaceAsync(userName, _users.TryGetValue(userName, out var old) ? old : null, replacement, persist, cancellationToken);

    /// <summary>Stores <paramref name="replacement"/> over <paramref name="old"/>, the user's list as stored now (the
    /// caller holds the user's lock).</summary>
    private async ValueTask ReplaceAsync(string userName, IReadOnlyList<SipBinding>? old, IReadOnlyList<SipBinding> replacement,
        bool persist, CancellationToken cancellationToken)
    {
        var live = Unexpired(replacement, _time.GetUtcNow());
        var before = old?.Count ?? 0;
        if (persist && BindingDurability.MustWrite(old, live))
        {
            live = BindingDurability.AsWritten(live);
            await _persistence.SaveAsync(userName, live, cancellationToken).ConfigureAwait(false);
        }

        if (live.Count == 0)
        {
            _users.TryRemove(userName, out _);
        }
        else
        {
            _users[userName] = live;
        }

        Interlocked.Add(ref _count, live.Count - before);

        try
        {
            Changed?.Invoke(userName, live);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A location change handler failed for {User}", userName);
        }
    }

    private async Task SweepFromTimerAsync()
    {
        try
        {
            await RemoveExpiredAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Expiring SIP bindings failed");
        }
    }

    /// <summary>A plain loop: called per request and, from the sweep, per user every second, so no closures.</summary>
    private static bool AnyExpired(IReadOnlyList<SipBinding> bindings, DateTimeOffset now)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].ExpiresAt <= now)
            {
                return true;
            }
        }

        return false;
    }

    private static SipBinding? Find(IReadOnlyList<SipBinding> bindings, string contactKey)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].ContactKey == contactKey)
            {
                return bindings[i];
            }
        }

        return null;
    }

    private SemaphoreSlim LockFor(string userName) => _locks[(StringComparer.Ordinal.GetHashCode(userName) & int.MaxValue) % Stripes];
}
