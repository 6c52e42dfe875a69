using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
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
    // A box per user, so the write every refresh makes (the expiry moves) is a store, not a new dictionary node.
    private readonly ConcurrentDictionary<string, StrongBox<long>> _latestExpiry = new(StringComparer.Ordinal);
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
        // Runs under the store's lock for this user on every REGISTER; a refresh changes no presence, so the common
        // case is decided by plain loops and comparisons, allocating nothing.
        var now = _time.GetUtcNow();
        var online = AnyLive(bindings, now);
        var newest = Newest(bindings);
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
            var box = _latestExpiry.GetOrAdd(userName, static _ => new StrongBox<long>());
            Volatile.Write(ref box.Value, LatestExpiry(bindings).UtcTicks);
        }

        if (previous is not null && newest is not null && IsUnchanged(previous, online, reason, newest))
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

        return _latestExpiry.TryGetValue(userName, out var expiry) && Volatile.Read(ref expiry.Value) <= now.UtcTicks
            ? RegistrationReason.Expired
            : RegistrationReason.Unregistered;
    }

    /// <summary>True when the presence the bindings give is <paramref name="previous"/> (what the full build below
    /// would compare equal), checked without building it.</summary>
    private static bool IsUnchanged(SipPresence previous, bool online, RegistrationReason reason, SipBinding newest) =>
        previous.Online == online && previous.Reason == reason && previous.EmployeeId == newest.EmployeeId
        && previous.AccountId == newest.AccountId && previous.Transport == newest.Transport
        && string.Equals(previous.UserAgent, newest.UserAgent, StringComparison.Ordinal)
        && Formats(newest.RemoteEndPoint, previous.RemoteAddress);

    /// <summary>Whether <paramref name="text"/> is <paramref name="endPoint"/>'s <c>ToString()</c>, without making it.</summary>
    private static bool Formats(IPEndPoint endPoint, string? text)
    {
        Span<char> buffer = stackalloc char[72];
        var v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        var length = 0;
        if (v6)
        {
            buffer[length++] = '[';
        }

        if (!endPoint.Address.TryFormat(buffer[length..], out var written))
        {
            return false;
        }

        length += written;
        if (v6)
        {
            buffer[length++] = ']';
        }

        buffer[length++] = ':';
        return endPoint.Port.TryFormat(buffer[length..], out written, provider: CultureInfo.InvariantCulture)
            && buffer[..(length + written)].SequenceEqual(text);
    }

    private static bool AnyLive(IReadOnlyList<SipBinding> bindings, DateTimeOffset now)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].IsLive(now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The most recently updated binding (the first of equals), or null.</summary>
    private static SipBinding? Newest(IReadOnlyList<SipBinding> bindings)
    {
        SipBinding? newest = null;
        for (var i = 0; i < bindings.Count; i++)
        {
            if (newest is null || bindings[i].UpdatedAt > newest.UpdatedAt)
            {
                newest = bindings[i];
            }
        }

        return newest;
    }

    private static DateTimeOffset LatestExpiry(IReadOnlyList<SipBinding> bindings)
    {
        var latest = bindings[0].ExpiresAt;
        for (var i = 1; i < bindings.Count; i++)
        {
            if (bindings[i].ExpiresAt > latest)
            {
                latest = bindings[i].ExpiresAt;
            }
        }

        return latest;
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
