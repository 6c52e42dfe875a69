using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>An active ban, as administrators see it.</summary>
/// <param name="Address">The source address.</param>
/// <param name="User">The user banned from that address, or null when the whole address is banned.</param>
/// <param name="Reason">Why: <c>password</c> (one user failing), <c>scan</c> (many users failing), <c>flood</c>.</param>
/// <param name="Failures">Failures counted when the ban started.</param>
/// <param name="Since">When it started.</param>
/// <param name="Until">When it ends.</param>
/// <param name="UsersTried">The user names that failed from the address (the banned user for a per-user ban; up to
/// <c>MaxUsersPerAddress</c> for a whole-address ban, possibly none for a flood).</param>
public sealed record SipBan(
    IPAddress Address, string? User, string Reason, int Failures, DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<string> UsersTried);

/// <summary>A ban just started (raised once per ban by <see cref="FailureBanList.BanStarted"/>).</summary>
/// <param name="Ban">The ban.</param>
/// <param name="UsersTried">The user names that failed from the address in the window (the banned user for a
/// per-user ban; up to <c>MaxUsersPerAddress</c> for a whole-address ban), so the console can tell the accounts concerned.</param>
public sealed record SipBanStarted(SipBan Ban, IReadOnlyList<string> UsersTried);

/// <summary>
/// Counts authentication failures per (source address, user) and bans that pair after <c>MaxFailures</c> within
/// <c>Window</c>: one phone with a wrong password behind an office NAT must not take the office's other phones offline.
/// A whole address is banned only for a scan (<c>MaxUsersPerAddress</c> distinct failing users) or a flood
/// (<c>FloodFailures</c> failed or refused requests). Slows password guessing (svcrack) and stops answering scanners.
/// </summary>
public sealed class FailureBanList
{
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<(IPAddress Address, string User), Entry> _pairs = new();
    private readonly ConcurrentDictionary<IPAddress, AddressEntry> _addresses = new();
    private readonly SipBanOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Approximate sizes (Sweep re-syncs them): ConcurrentDictionary.Count takes every bucket lock, and failures are
    // recorded per request during exactly the floods this list exists for.
    private int _approximateCount;

    /// <summary>Creates the list. A <see cref="SipBanOptions.MaxFailures"/> of 0 disables banning.</summary>
    public FailureBanList(SipBanOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised on the failing request's thread when a ban starts; handlers must return at once and not throw.</summary>
    public event Action<SipBanStarted>? BanStarted;

    // Lookups are TryGetValue alone, which takes no lock. No "IsEmpty" shortcut: on an empty ConcurrentDictionary —
    // the normal state of a ban list — IsEmpty takes every bucket lock and scans every bucket, three times per
    // REGISTER, and the UDP threads queued on those locks (a profile at 1,000 REGISTERs/s: 2 % of the process's time).

    /// <summary>True while the whole address is banned (its requests are dropped, never responses to our requests).</summary>
    public bool IsBanned(IPAddress address) =>
        _addresses.TryGetValue(address, out var entry) && entry.BannedUntil is { } until && _time.GetUtcNow() < until;

    /// <summary>True while <paramref name="user"/> is banned from <paramref name="address"/>, or the address is.</summary>
    public bool IsBanned(IPAddress address, string user) =>
        IsBanned(address)
        || (_pairs.TryGetValue((address, user), out var entry) && entry.BannedUntil is { } until && _time.GetUtcNow() < until);

    /// <summary>True while the pair itself (not only the address) is banned.</summary>
    public bool IsUserBanned(IPAddress address, string user) =>
        _pairs.TryGetValue((address, user), out var entry) && entry.BannedUntil is { } until && _time.GetUtcNow() < until;

    /// <summary>Records a failed authentication of <paramref name="user"/>; returns true when it started a ban.</summary>
    public bool RecordFailure(IPAddress address, string user)
    {
        Diagnostics.SipMetrics.AuthFailures.Add(1);
        if (_options.MaxFailures <= 0)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        Bound(now);
        var pair = _pairs.AddOrUpdate((address, user),
            _ =>
            {
                Interlocked.Increment(ref _approximateCount);
                return new Entry(now, 1, null);
            },
            (_, e) => Expired(e.WindowStart, e.BannedUntil, now) ? new Entry(now, 1, null) : e with { Failures = e.Failures + 1 });
        var started = false;
        if (pair.Failures >= _options.MaxFailures && pair.BannedUntil is null)
        {
            _pairs[(address, user)] = pair with { BannedUntil = now + _options.Duration };
            _logger.LogWarning("SIP user {User} banned from {Address} for {Duration} after {Failures} failed authentications",
                user, address, _options.Duration, pair.Failures);
            started = true;
            Raise(new SipBanStarted(new SipBan(address, user, "password", pair.Failures, now, now + _options.Duration, [user]), [user]));
        }

        return CountForAddress(address, user, now) || started;
    }

    /// <summary>Counts a request refused because its pair is banned towards a flood ban of the address.</summary>
    public void RecordRefused(IPAddress address)
    {
        if (_options.MaxFailures > 0)
        {
            CountForAddress(address, null, _time.GetUtcNow());
        }
    }

    /// <summary>Clears the user's failure count after a successful authentication (a ban stays until it ends).</summary>
    public void RecordSuccess(IPAddress address, string user)
    {
        if (_pairs.TryGetValue((address, user), out var e) && e.BannedUntil is null && _pairs.TryRemove((address, user), out _))
        {
            Interlocked.Decrement(ref _approximateCount);
        }
    }

    /// <summary>The bans in force, newest ending last.</summary>
    public IReadOnlyList<SipBan> Active()
    {
        var now = _time.GetUtcNow();
        var pairs = _pairs.Where(p => p.Value.BannedUntil > now)
            .Select(p => new SipBan(p.Key.Address, p.Key.User, "password", p.Value.Failures,
                p.Value.BannedUntil!.Value - _options.Duration, p.Value.BannedUntil.Value, [p.Key.User]));
        var addresses = _addresses.Where(p => p.Value.BannedUntil > now).Select(p => Snapshot(p.Key, p.Value)).OfType<SipBan>();
        return pairs.Concat(addresses).OrderBy(b => b.Until).ToList();
    }

    private SipBan? Snapshot(IPAddress address, AddressEntry entry)
    {
        // The entry's user set changes under its lock while failures are counted.
        lock (entry)
        {
            return entry.BannedUntil is { } until && entry.Reason is { } reason
                ? new SipBan(address, null, reason, entry.Failures, until - _options.Duration, until, entry.Users.ToArray())
                : null;
        }
    }

    /// <summary>Lifts a ban by hand: the user's from the address, or the whole address's (and its users') when
    /// <paramref name="user"/> is null. Returns whether anything was lifted.</summary>
    public bool Lift(IPAddress address, string? user)
    {
        bool lifted;
        if (user is not null)
        {
            lifted = _pairs.TryRemove((address, user), out _);
        }
        else
        {
            lifted = _addresses.TryRemove(address, out _);
            foreach (var key in _pairs.Keys.Where(k => k.Address.Equals(address)))
            {
                lifted |= _pairs.TryRemove(key, out _);
            }
        }

        if (lifted)
        {
            _logger.LogWarning("SIP ban of {Address} {User} lifted by hand", address, user ?? "(all users)");
        }

        return lifted;
    }

    /// <summary>
    /// Enforces a ban another node raised (docs/decisions/0059) until the same instant, as if counted here; raises no
    /// <see cref="BanStarted"/> (the raising node told the accounts concerned). A longer ban in force here stays.
    /// </summary>
    public void Impose(IPAddress address, string? user, string reason, int failures, DateTimeOffset until, IReadOnlyList<string> usersTried)
    {
        var now = _time.GetUtcNow();
        if (until <= now)
        {
            return;
        }

        if (user is not null)
        {
            _pairs.AddOrUpdate((address, user),
                _ =>
                {
                    Interlocked.Increment(ref _approximateCount);
                    return new Entry(now, failures, until);
                },
                (_, e) => e.BannedUntil is { } mine && mine >= until && now < mine ? e : e with { Failures = failures, BannedUntil = until });
            return;
        }

        var entry = _addresses.GetOrAdd(address, static (_, n) => new AddressEntry(n), now);
        lock (entry)
        {
            if (Expired(entry.WindowStart, entry.BannedUntil, now))
            {
                entry.Reset(now);
            }

            if (entry.BannedUntil is { } mine && mine >= until)
            {
                return;
            }

            entry.BannedUntil = until;
            entry.Reason = reason;
            entry.Failures = Math.Max(entry.Failures, failures);
            foreach (var name in usersTried.Take(_options.MaxUsersPerAddress - entry.Users.Count))
            {
                entry.Users.Add(name);
            }
        }
    }

    /// <summary>Removes entries whose window and ban are over.</summary>
    public void Sweep(DateTimeOffset now)
    {
        foreach (var pair in _pairs)
        {
            if (Expired(pair.Value.WindowStart, pair.Value.BannedUntil, now))
            {
                _pairs.TryRemove(pair.Key, out _);
            }
        }

        foreach (var address in _addresses)
        {
            if (Expired(address.Value.WindowStart, address.Value.BannedUntil, now))
            {
                _addresses.TryRemove(address.Key, out _);
            }
        }

        Volatile.Write(ref _approximateCount, _pairs.Count + _addresses.Count);
    }

    private bool CountForAddress(IPAddress address, string? user, DateTimeOffset now)
    {
        var entry = _addresses.GetOrAdd(address, static (_, n) => new AddressEntry(n), now);
        SipBanStarted? started;
        lock (entry)
        {
            started = CountLocked(entry, address, user, now);
        }

        // Raised outside the entry's lock: a handler must never hold up other failures from the address.
        if (started is not null)
        {
            Raise(started);
        }

        return started is not null;
    }

    private SipBanStarted? CountLocked(AddressEntry entry, IPAddress address, string? user, DateTimeOffset now)
    {
        if (Expired(entry.WindowStart, entry.BannedUntil, now))
        {
            entry.Reset(now);
        }

        entry.Failures++;
        if (user is not null && entry.Users.Count < _options.MaxUsersPerAddress)
        {
            entry.Users.Add(user);
        }

        if (entry.BannedUntil is not null)
        {
            return null;
        }

        var reason = entry.Users.Count >= _options.MaxUsersPerAddress ? "scan"
            : entry.Failures >= _options.FloodFailures ? "flood" : null;
        if (reason is null)
        {
            return null;
        }

        entry.BannedUntil = now + _options.Duration;
        entry.Reason = reason;
        _logger.LogWarning("SIP source {Address} banned for {Duration} ({Reason}: {Failures} failures, {Users} users)",
            address, _options.Duration, reason, entry.Failures, entry.Users.Count);
        var users = entry.Users.ToArray();
        return new SipBanStarted(new SipBan(address, null, reason, entry.Failures, now, entry.BannedUntil.Value, users), users);
    }

    private void Raise(SipBanStarted started)
    {
        Diagnostics.SipMetrics.Bans.Add(1);
        try
        {
            BanStarted?.Invoke(started);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A SIP ban subscriber failed");
        }
    }

    private bool Expired(DateTimeOffset windowStart, DateTimeOffset? bannedUntil, DateTimeOffset now) =>
        bannedUntil is { } until ? now >= until : now - windowStart > _options.Window;

    private void Bound(DateTimeOffset now)
    {
        if (Volatile.Read(ref _approximateCount) >= MaxTracked)
        {
            Sweep(now);
        }
    }

    private sealed record Entry(DateTimeOffset WindowStart, int Failures, DateTimeOffset? BannedUntil);

    private sealed class AddressEntry(DateTimeOffset windowStart)
    {
        public DateTimeOffset WindowStart { get; private set; } = windowStart;

        public int Failures { get; set; }

        public HashSet<string> Users { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? BannedUntil { get; set; }

        public string? Reason { get; set; }

        public void Reset(DateTimeOffset now)
        {
            WindowStart = now;
            Failures = 0;
            Users.Clear();
            BannedUntil = null;
            Reason = null;
        }
    }
}
