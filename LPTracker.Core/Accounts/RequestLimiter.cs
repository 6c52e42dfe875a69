using System.Collections.Concurrent;

namespace LPTracker.Core.Accounts;

/// <summary>
/// A sliding-window limit per key (a login, a client address): at most <c>max</c> requests within <c>window</c>.
/// Memory stays bounded: keys whose window has passed are dropped once the table grows large.
/// </summary>
public sealed class RequestLimiter(TimeProvider time, int max, TimeSpan window)
{
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Queue<DateTime>> _hits = new(StringComparer.Ordinal);

    /// <summary>Counts a request; false when the key is over its limit (the request must not be served).</summary>
    public bool TryAcquire(string key)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_hits.Count > SweepAbove)
        {
            foreach (var (k, q) in _hits)
            {
                lock (q)
                {
                    if (q.Count == 0 || q.Peek() <= now - window)
                    {
                        _hits.TryRemove(k, out _);
                    }
                }
            }
        }

        var hits = _hits.GetOrAdd(key, _ => new Queue<DateTime>());
        lock (hits)
        {
            while (hits.Count > 0 && hits.Peek() <= now - window)
            {
                hits.Dequeue();
            }

            if (hits.Count >= max)
            {
                return false;
            }

            hits.Enqueue(now);
            return true;
        }
    }
}
