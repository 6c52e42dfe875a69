using System.Collections.Immutable;
using System.Net;
using LPTracker.Core.Telephony.Bans;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Integration;

/// <summary>The console's view of this node's <see cref="FailureBanList"/>: list, lift by hand, and a signal per change.</summary>
public sealed class SipBanRegistry : ISipBanRegistry, IDisposable
{
    private readonly FailureBanList _bans;
    private readonly ILogger<SipBanRegistry> _logger;
    private ImmutableArray<Action> _subscribers = [];

    public SipBanRegistry(FailureBanList bans, ILogger<SipBanRegistry> logger)
    {
        _bans = bans;
        _logger = logger;
        _bans.BanStarted += OnBanStarted;
    }

    /// <inheritdoc />
    public IReadOnlyList<SipBanEntry> Active() =>
        _bans.Active().Select(b => new SipBanEntry(b.Address.ToString(), b.User, b.Reason, b.Failures,
            b.Since.UtcDateTime, b.Until.UtcDateTime, b.UsersTried)).ToList();

    /// <inheritdoc />
    public bool Lift(string address, string? user)
    {
        if (!IPAddress.TryParse(address, out var ip) || !_bans.Lift(ip, user))
        {
            return false;
        }

        Notify();
        return true;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Action changed)
    {
        ImmutableInterlocked.Update(ref _subscribers, (list, item) => list.Add(item), changed);
        return new Subscription(this, changed);
    }

    public void Dispose() => _bans.BanStarted -= OnBanStarted;

    private void OnBanStarted(SipBanStarted started) => Notify();

    private void Notify()
    {
        // A subscriber that throws must not stop the others nor the registrar thread that raised the ban.
        // An ImmutableArray is one reference: reading the field is atomic, and a snapshot never changes.
        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A SIP ban subscriber failed");
            }
        }
    }

    private sealed class Subscription(SipBanRegistry owner, Action changed) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref owner._subscribers, (list, item) => list.Remove(item), changed);
    }
}
