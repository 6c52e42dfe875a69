using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip.Auth;

/// <summary>
/// Counts authentication failures per source address and bans an address (its traffic is silently dropped)
/// after <c>MaxFailures</c> within <c>Window</c>, for <c>Duration</c>. Slows password guessing (svcrack) and
/// stops answering scanners.
/// </summary>
public sealed class FailureBanList
{
    private const int MaxTrackedAddresses = 100_000;
    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private readonly int _maxFailures;
    private readonly TimeSpan _window;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the list. <paramref name="maxFailures"/> of 0 disables banning.</summary>
    public FailureBanList(int maxFailures, TimeSpan window, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _maxFailures = maxFailures;
        _window = window;
        _duration = duration;
        _time = time;
        _logger = logger;
    }

    /// <summary>True while the address is banned.</summary>
    public bool IsBanned(IPAddress address)
    {
        if (_entries.IsEmpty || !_entries.TryGetValue(address, out var entry) || entry.BannedUntil is not { } until)
        {
            return false;
        }

        return _time.GetUtcNow() < until;
    }

    /// <summary>Records a failed authentication; returns true when this failure triggered a ban.</summary>
    public bool RecordFailure(IPAddress address)
    {
        if (_maxFailures <= 0)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (_entries.Count >= MaxTrackedAddresses)
        {
            Sweep(now);
        }

        var updated = _entries.AddOrUpdate(
            address,
            _ => new Entry(now, 1, null),
            (_, e) => e.BannedUntil is { } u && now >= u || now - e.WindowStart > _window
                ? new Entry(now, 1, null)
                : e with { Failures = e.Failures + 1 });
        if (updated.Failures >= _maxFailures && updated.BannedUntil is null)
        {
            _entries[address] = updated with { BannedUntil = now + _duration };
            _logger.LogWarning("SIP source {Address} banned for {Duration} after {Failures} failed authentications",
                address, _duration, updated.Failures);
            return true;
        }

        return false;
    }

    /// <summary>Clears the failure count after a successful authentication (a ban stays until it ends).</summary>
    public void RecordSuccess(IPAddress address)
    {
        if (!_entries.IsEmpty && _entries.TryGetValue(address, out var e) && e.BannedUntil is null)
        {
            _entries.TryRemove(address, out _);
        }
    }

    /// <summary>Removes entries whose window and ban are over.</summary>
    public void Sweep(DateTimeOffset now)
    {
        foreach (var pair in _entries)
        {
            var e = pair.Value;
            var banOver = e.BannedUntil is not { } u || now >= u;
            if (banOver && now - e.WindowStart > _window)
            {
                _entries.TryRemove(pair.Key, out _);
            }
        }
    }

    private sealed record Entry(DateTimeOffset WindowStart, int Failures, DateTimeOffset? BannedUntil);
}
