using System.Collections.Concurrent;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>
/// Remembers the highest nonce-count used with each nonce so a captured request cannot be replayed
/// (RFC 7616 §3.3, §5.12). Memory is bounded: when full, the oldest nonces are forgotten and a watermark
/// makes any forgotten nonce count as stale, so forgetting never re-opens a replay window.
/// </summary>
public sealed class NonceCountTracker
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly object _evictLock = new();
    private long _watermarkMs = long.MinValue;

    /// <summary>Creates a tracker holding at most <paramref name="capacity"/> nonces.</summary>
    public NonceCountTracker(int capacity = 100_000) => _capacity = Math.Max(16, capacity);

    /// <summary>Number of nonces currently tracked.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Accepts <paramref name="nc"/> if it is higher than any count seen with this nonce; false means replay
    /// (or a forgotten nonce), which the caller answers with a fresh challenge.
    /// </summary>
    public bool TryAccept(string nonce, long issuedAtMs, uint nc)
    {
        if (issuedAtMs <= Volatile.Read(ref _watermarkMs) && !_entries.ContainsKey(nonce))
        {
            return false;
        }

        while (true)
        {
            if (_entries.TryGetValue(nonce, out var existing))
            {
                if (nc <= existing.HighestNc)
                {
                    return false;
                }

                if (_entries.TryUpdate(nonce, existing with { HighestNc = nc }, existing))
                {
                    return true;
                }
            }
            else if (_entries.TryAdd(nonce, new Entry(issuedAtMs, nc)))
            {
                if (_entries.Count > _capacity)
                {
                    Evict();
                }

                return true;
            }
        }
    }

    /// <summary>Drops nonces issued before <paramref name="cutoffMs"/> (expired ones); called periodically.</summary>
    public void ForgetIssuedBefore(long cutoffMs)
    {
        foreach (var pair in _entries)
        {
            if (pair.Value.IssuedAtMs < cutoffMs)
            {
                _entries.TryRemove(pair.Key, out _);
            }
        }
    }

    private void Evict()
    {
        lock (_evictLock)
        {
            if (_entries.Count <= _capacity)
            {
                return;
            }

            // Forget the older half and remember where we cut.
            var times = _entries.Values.Select(e => e.IssuedAtMs).ToArray();
            Array.Sort(times);
            var cutoff = times[times.Length / 2];
            Volatile.Write(ref _watermarkMs, Math.Max(_watermarkMs, cutoff));
            foreach (var pair in _entries)
            {
                if (pair.Value.IssuedAtMs <= cutoff)
                {
                    _entries.TryRemove(pair.Key, out _);
                }
            }
        }
    }

    private readonly record struct Entry(long IssuedAtMs, uint HighestNc);
}
