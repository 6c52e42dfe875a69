using System.Collections.Concurrent;
using LPTracker.Core.Live;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Parsing;
using CorePresence = LPTracker.Core.Telephony.SipPresence;
using FeedPresence = LPTracker.Telephony.Registrar.SipPresence;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// The console's view of the registrar: Online/Disconnected per employee, with since, device and address, and a
/// <see cref="EmployeeChangeKind.SipStatus"/> change published for every transition (grids and the hub follow it).
/// Online/offline flips also go to <see cref="IRegistrationEvents"/> (registration history, notifications).
/// </summary>
public sealed class PresenceBridge : ISipPresenceSource, IDisposable
{
    private readonly ConcurrentDictionary<int, FeedPresence> _byEmployee = new();
    private readonly ChangeNotifier _notifier;
    private readonly IRegistrationEvents _events;
    private readonly IDisposable _subscription;
    private readonly ILocationStore _locations;

    public PresenceBridge(ISipPresenceFeed feed, ILocationStore locations, ChangeNotifier notifier, IRegistrationEvents events)
    {
        _locations = locations;
        _notifier = notifier;
        _events = events;
        _subscription = feed.Subscribe(OnChanged);
        foreach (var presence in feed.GetAll())
        {
            _byEmployee[(int)presence.EmployeeId] = presence;
        }
    }

    public CorePresence Get(int employeeId) =>
        _byEmployee.TryGetValue(employeeId, out var p)
            ? new CorePresence(p.Online ? SipStatus.Online : SipStatus.Disconnected, p.Since.UtcDateTime, p.UserAgent, p.RemoteAddress,
                Contacts(p.UserName))
            : new CorePresence(SipStatus.Disconnected);

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
        _notifier.Publish(new EmployeeChange(presence.AccountId, employeeId, EmployeeChangeKind.SipStatus));
        if (presence.Online != wasOnline && employeeId > 0)
        {
            _events.Transition(new RegistrationTransition(
                presence.AccountId, employeeId, presence.Online, presence.Reason, presence.Since.UtcDateTime,
                presence.UserAgent, presence.RemoteAddress, presence.Transport?.ToString().ToUpperInvariant()));
        }
    }
}
