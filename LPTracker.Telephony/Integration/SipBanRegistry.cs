using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using LPTracker.Core.Cluster;
using LPTracker.Core.Telephony.Bans;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// The console's view of this node's <see cref="FailureBanList"/>: list, lift by hand, and a signal per change. With
/// several nodes (docs/decisions/0059) a ban raised here is sent to the other nodes, which enforce it until the same
/// instant; their bans are enforced here; a lift anywhere lifts everywhere; a node that starts asks the others for the
/// bans in force. Each ban remembers the node that raised it.
/// </summary>
public sealed class SipBanRegistry : ISipBanRegistry, IDisposable
{
    /// <summary>Origins are pruned of ended bans whenever this many more were recorded.</summary>
    private const int PruneEvery = 1024;

    private readonly FailureBanList _bans;
    private readonly NodeIdentity _node;
    private readonly NodeExchange<SipBanMessage> _exchange;
    private readonly ILogger<SipBanRegistry> _logger;
    private readonly ConcurrentDictionary<(string Address, string? User), string> _origins = new();
    private ImmutableArray<Action> _subscribers = [];
    private int _recorded;

    public SipBanRegistry(FailureBanList bans, NodeIdentity node, NodeExchange<SipBanMessage> exchange, ILogger<SipBanRegistry> logger)
    {
        _bans = bans;
        _node = node;
        _exchange = exchange;
        _logger = logger;
        _bans.BanStarted += OnBanStarted;
        _exchange.Received += OnReceived;
    }

    /// <inheritdoc />
    public IReadOnlyList<SipBanEntry> Active() =>
        _bans.Active().Select(b => Entry(b, _origins.GetValueOrDefault((b.Address.ToString(), b.User), _node.Id))).ToList();

    /// <inheritdoc />
    public bool Lift(string address, string? user)
    {
        if (!IPAddress.TryParse(address, out var ip) || !_bans.Lift(ip, user))
        {
            return false;
        }

        Forget(ip.ToString(), user);
        _exchange.Publish(new SipBanMessage(SipBanMessageKind.Lifted, null, ip.ToString(), user));
        Notify();
        return true;
    }

    /// <summary>Asks the other nodes for the bans they enforce (at start, once the relay carries messages).</summary>
    public void AskOthers() => _exchange.Publish(new SipBanMessage(SipBanMessageKind.Ask, null));

    /// <inheritdoc />
    public IDisposable Subscribe(Action changed)
    {
        ImmutableInterlocked.Update(ref _subscribers, (list, item) => list.Add(item), changed);
        return new Subscription(this, changed);
    }

    public void Dispose()
    {
        _bans.BanStarted -= OnBanStarted;
        _exchange.Received -= OnReceived;
    }

    private static SipBanEntry Entry(SipBan b, string node) =>
        new(b.Address.ToString(), b.User, b.Reason, b.Failures, b.Since.UtcDateTime, b.Until.UtcDateTime, b.UsersTried, node);

    private void OnBanStarted(SipBanStarted started)
    {
        var ban = started.Ban;
        Remember(ban.Address.ToString(), ban.User, _node.Id);
        _exchange.Publish(new SipBanMessage(SipBanMessageKind.Started, Entry(ban, _node.Id)));
        Notify();
    }

    private void OnReceived(SipBanMessage message)
    {
        try
        {
            Apply(message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "A SIP ban message ({Kind}) from another node could not be applied", message.Kind);
        }
    }

    private void Apply(SipBanMessage message)
    {
        switch (message.Kind)
        {
            case SipBanMessageKind.Started when message.Ban is { } ban && IPAddress.TryParse(ban.Address, out var ip):
                _bans.Impose(ip, ban.User, ban.Reason, ban.Failures,
                    new DateTimeOffset(DateTime.SpecifyKind(ban.UntilUtc, DateTimeKind.Utc)), ban.UsersTried);
                Remember(ip.ToString(), ban.User, ban.Node);
                Notify();
                break;
            case SipBanMessageKind.Lifted when IPAddress.TryParse(message.Address, out var ip):
                _bans.Lift(ip, message.User);
                Forget(ip.ToString(), message.User);
                Notify();
                break;
            case SipBanMessageKind.Ask:
                // Every ban in force here, with the node that raised it: that node may be the one restarting.
                foreach (var ban in Active())
                {
                    _exchange.Publish(new SipBanMessage(SipBanMessageKind.Started, ban));
                }

                break;
        }
    }

    private void Remember(string address, string? user, string node)
    {
        _origins[(address, user)] = node;
        if (Interlocked.Increment(ref _recorded) % PruneEvery == 0)
        {
            var active = _bans.Active().Select(b => (b.Address.ToString(), b.User)).ToHashSet();
            foreach (var key in _origins.Keys.Where(k => !active.Contains(k)))
            {
                _origins.TryRemove(key, out _);
            }
        }
    }

    private void Forget(string address, string? user)
    {
        // Lifting a whole address lifts its users' bans too (FailureBanList.Lift).
        foreach (var key in _origins.Keys.Where(k => k.Address == address && (user is null || k.User == user)))
        {
            _origins.TryRemove(key, out _);
        }
    }

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
