using System.Collections.Concurrent;
using LPTracker.Core.Cluster;
using LPTracker.Core.Live;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Cluster;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Parsing;
using CorePresence = LPTracker.Core.Telephony.SipPresence;
using FeedPresence = LPTracker.Telephony.Registrar.SipPresence;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// The console's view of the registrar: Online/Disconnected per employee, with since, device and address, and a
/// <see cref="EmployeeChangeKind.SipStatus"/> change published for every transition (grids and the hub follow it).
/// Online/offline flips also go to <see cref="IRegistrationEvents"/> (registration history, notifications).
/// With several nodes, every change is also sent to the other nodes, and an employee whose phone this node does not
/// hold reads as the other nodes report it (<see cref="RemotePresence"/>): presence is the same on every node.
/// </summary>
public sealed class PresenceBridge : ISipPresenceSource, IDisposable
{
    private readonly ConcurrentDictionary<int, FeedPresence> _byEmployee = new();
    private readonly ChangeNotifier _notifier;
    private readonly IRegistrationEvents _events;
    private readonly RemotePresence _remote;
    private readonly NodeExchange<NodePresence> _exchange;
    private readonly NodeIdentity _node;
    private readonly IDisposable _subscription;
    private readonly ILocationStore _locations;

    public PresenceBridge(ISipPresenceFeed feed, ILocationStore locations, ChangeNotifier notifier, IRegistrationEvents events,
        RemotePresence remote, NodeExchange<NodePresence> exchange, NodeIdentity node)
    {
        _locations = locations;
        _notifier = notifier;
        _events = events;
        _remote = remote;
        _exchange = exchange;
        _node = node;
        _subscription = feed.Subscribe(OnChanged);
        foreach (var presence in feed.GetAll())
        {
            _byEmployee[(int)presence.EmployeeId] = presence;
        }
    }

    public CorePresence Get(int employeeId)
    {
        var local = _byEmployee.TryGetValue(employeeId, out var p) ? p : null;
        if (local is { Online: true })
        {
            return ToCore(local);
        }

        // Another node may hold the phone; online anywhere is online, else the latest offline report counts.
        if (_remote.Get(employeeId) is { } remote && (remote.Online || local is null || remote.SinceUtc > local.Since.UtcDateTime))
        {
            return new CorePresence(remote.Online ? SipStatus.Online : SipStatus.Disconnected, remote.SinceUtc, remote.Device, remote.Address);
        }

        return local is null ? new CorePresence(SipStatus.Disconnected) : ToCore(local);
    }

    private CorePresence ToCore(FeedPresence p) =>
        new(p.Online ? SipStatus.Online : SipStatus.Disconnected, p.Since.UtcDateTime, p.UserAgent, p.RemoteAddress,
            Contacts(p.UserName));

    public void Dispose() => _subscription.Dispose();

    /// <summary>The user's contacts as qualify last saw them, read now: reachability is asked for, not pushed.</summary>
    private List<SipContactReach>? Contacts(string userName)
    {
        var bindings = _locations.GetBindings(userName);
        return bindings.Count == 0 ? null : bindings.Select(b => new SipContactReach(
            SipUri.TryParse(b.ContactUri, out var uri) ? uri!.HostPort : b.RemoteEndPoint.ToString(),
            b.Transport.ToString().ToUpperInvariant(),
            b.Reachability switch { Reachability.Reachable => true, Reachability.Unreachable => false, _ => null },
            b.MissedPings,
            b.LastQualifiedAt?.UtcDateTime,
            b.RoundTrip?.TotalMilliseconds)).ToList();
    }

    private void OnChanged(FeedPresence presence)
    {
        var employeeId = (int)presence.EmployeeId;
        var wasOnline = _byEmployee.TryGetValue(employeeId, out var previous) && previous.Online;
        _byEmployee[employeeId] = presence;
        if (_exchange.Connected)
        {
            // Before the change event: a list on another node that refreshes on it should find the new presence.
            _exchange.Publish(new NodePresence(_node.Id, presence.AccountId, employeeId, presence.UserName, presence.Online,
                presence.Since.UtcDateTime, presence.UserAgent, presence.RemoteAddress));
        }

        _notifier.Publish(new EmployeeChange(presence.AccountId, employeeId, EmployeeChangeKind.SipStatus));
        if (presence.Online != wasOnline && employeeId > 0)
        {
            _events.Transition(new RegistrationTransition(
                presence.AccountId, employeeId, presence.Online, presence.Reason, presence.Since.UtcDateTime,
                presence.UserAgent, presence.RemoteAddress, presence.Transport?.ToString().ToUpperInvariant()));
        }
    }
}
