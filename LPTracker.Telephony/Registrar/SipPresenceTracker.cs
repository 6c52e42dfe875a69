using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// Derives <see cref="SipPresence"/> from the location store's change notifications and raises an event whenever
/// a user's presence (online flag, newest user-agent or address) changes.
/// </summary>
public sealed class SipPresenceTracker : ISipPresenceFeed, IDisposable
{
    private readonly ConcurrentDictionary<string, SipPresence> _presence = new(StringComparer.Ordinal);
    private readonly ILocationStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _subscribersLock = new();
    private Action<SipPresence>[] _subscribers = [];

    /// <summary>Starts following <paramref name="store"/>.</summary>
    public SipPresenceTracker(ILocationStore store, TimeProvider time, ILogger<SipPresenceTracker> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _store.Changed += OnBindingsChanged;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Action<SipPresence> onChanged)
    {
        lock (_subscribersLock)
        {
            _subscribers = [.. _subscribers, onChanged];
        }

        return new Subscription(this, onChanged);
    }

    /// <inheritdoc />
    public SipPresence? GetPresence(string userName) => _presence.TryGetValue(userName, out var p) ? p : null;

    /// <inheritdoc />
    public IReadOnlyCollection<SipPresence> GetAll() => _presence.Values.ToList();

    /// <inheritdoc />
    public void Dispose() => _store.Changed -= OnBindingsChanged;

    private void OnBindingsChanged(string userName, IReadOnlyList<SipBinding> bindings)
    {
        var now = _time.GetUtcNow();
        var online = bindings.Any(b => b.IsLive(now));
        var newest = bindings.Count == 0 ? null : bindings.MaxBy(b => b.UpdatedAt);
        var previous = GetPresence(userName);
        if (previous is null && !online && newest is null)
        {
            return;
        }

        var next = new SipPresence(
            userName,
            newest?.EmployeeId ?? previous?.EmployeeId ?? 0,
            newest?.AccountId ?? previous?.AccountId ?? 0,
            online,
            previous is not null && previous.Online == online ? previous.Since : now,
            newest?.UserAgent ?? previous?.UserAgent,
            newest?.RemoteEndPoint.ToString() ?? previous?.RemoteAddress);
        if (next == previous)
        {
            return;
        }

        _presence[userName] = next;
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(next);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A SIP presence subscriber failed");
            }
        }
    }

    private void Unsubscribe(Action<SipPresence> handler)
    {
        lock (_subscribersLock)
        {
            _subscribers = _subscribers.Where(s => s != handler).ToArray();
        }
    }

    private sealed class Subscription(SipPresenceTracker owner, Action<SipPresence> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}
