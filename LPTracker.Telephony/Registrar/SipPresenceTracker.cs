using System.Collections.Concurrent;
using LPTracker.Core.Telephony;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// Derives <see cref="SipPresence"/> from the location store's change notifications and raises an event whenever
/// a user's presence (online flag, newest user-agent or address) changes.
/// </summary>
public sealed class SipPresenceTracker : ISipPresenceFeed, IDisposable
{
    private readonly ConcurrentDictionary<string, SipPresence> _presence = new(StringComparer.Ordinal);

    // The latest expiry among each user's last-seen bindings: when the list empties, it tells an expiry (time ran
    // out) from an unregistration (removed early). One entry per user seen, like _presence.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _latestExpiry = new(StringComparer.Ordinal);
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

        var reason = online ? RegistrationReason.Registered
            : previous is { Online: false } ? previous.Reason
            : OfflineReason(userName, bindings, now);
        if (bindings.Count > 0)
        {
            _latestExpiry[userName] = bindings.Max(b => b.ExpiresAt);
        }

        var next = new SipPresence(
            userName,
            newest?.EmployeeId ?? previous?.EmployeeId ?? 0,
            newest?.AccountId ?? previous?.AccountId ?? 0,
            online,
            previous is not null && previous.Online == online ? previous.Since : now,
            newest?.UserAgent ?? previous?.UserAgent,
            newest?.RemoteEndPoint.ToString() ?? previous?.RemoteAddress)
        {
            Reason = reason,
            Transport = newest?.Transport ?? previous?.Transport,
        };
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

    /// <summary>Why a user just went offline: bindings left but none live → qualify failed (or the TCP connection
    /// closed); none left → expired if the last expiry has passed, else removed early (unregistered).</summary>
    private RegistrationReason OfflineReason(string userName, IReadOnlyList<SipBinding> bindings, DateTimeOffset now)
    {
        if (bindings.Count > 0)
        {
            return RegistrationReason.QualifyFailed;
        }

        return _latestExpiry.TryGetValue(userName, out var expiry) && expiry <= now
            ? RegistrationReason.Expired
            : RegistrationReason.Unregistered;
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
