using System.Collections.Concurrent;

namespace LPTracker.Core.Accounts;

/// <summary>
/// Failed sign-ins per login <em>and</em> client address, in memory: <see cref="SignInService.MaxFailures"/> failures
/// lock that pair for <see cref="SignInService.LockoutDuration"/>. The login need not exist — unknown and known logins
/// lock alike, so a lock reveals nothing — and a stranger locks only themselves out, never the owner signing in from
/// elsewhere (decision 0012). Bounded: at most <see cref="MaxEntries"/> pairs are remembered.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    /// <summary>How many (login, address) pairs are remembered at most.</summary>
    public const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<(string Login, string Address), Entry> _entries = new();

    /// <summary>Until when the pair is locked, or null.</summary>
    public DateTime? LockedUntil(string login, string? address)
    {
        var now = Now;
        return _entries.TryGetValue(Key(login, address), out var e) && e.LockedUntil is { } until && until > now ? until : null;
    }

    /// <summary>Counts a failure; returns the end of the lock when this failure locks the pair.</summary>
    public DateTime? Fail(string login, string? address)
    {
        var now = Now;
        if (_entries.Count >= MaxEntries)
        {
            Sweep(now);
        }

        var entry = _entries.GetOrAdd(Key(login, address), _ => new Entry());
        lock (entry)
        {
            // Failures further apart than a lock lasts do not add up.
            if (entry.LastFailure + SignInService.LockoutDuration < now)
            {
                entry.Failures = 0;
            }

            entry.LastFailure = now;
            if (++entry.Failures < SignInService.MaxFailures)
            {
                return null;
            }

            entry.Failures = 0;
            entry.LockedUntil = now + SignInService.LockoutDuration;
            return entry.LockedUntil;
        }
    }

    /// <summary>Forgets the pair's failures after a successful sign-in.</summary>
    public void Succeeded(string login, string? address) => _entries.TryRemove(Key(login, address), out _);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static (string, string) Key(string login, string? address) => (login, address ?? "");

    /// <summary>Drops what no longer matters; when that is not enough, the oldest half (a flood must not grow memory).</summary>
    private void Sweep(DateTime now)
    {
        foreach (var (key, e) in _entries)
        {
            if ((e.LockedUntil is null || e.LockedUntil <= now) && e.LastFailure + SignInService.LockoutDuration < now)
            {
                _entries.TryRemove(key, out _);
            }
        }

        if (_entries.Count >= MaxEntries)
        {
            foreach (var key in _entries.OrderBy(kv => kv.Value.LastFailure).Take(_entries.Count / 2).Select(kv => kv.Key).ToList())
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry
    {
        public int Failures;

        public DateTime LastFailure;

        public DateTime? LockedUntil;
    }
}
