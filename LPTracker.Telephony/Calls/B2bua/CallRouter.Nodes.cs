using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Telephony.Calls.RingPlans;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>Calls across nodes: a ring plan also rings the bindings other nodes hold, and a leg another node sends
/// here is relayed to the phone over its own flow.</summary>
public sealed partial class CallRouter
{
    /// <summary>How long a leg from another node may ring here: the sending node's ring timeout decides (it cancels).</summary>
    private const int RelayRingSeconds = 600;

    /// <summary>The bindings to ring for <paramref name="users"/>: this node's, plus (several nodes) those other nodes hold.</summary>
    private async ValueTask<Func<string, IReadOnlyList<SipBinding>>> BindingsForAsync(IEnumerable<string?> users,
        CancellationToken cancellationToken)
    {
        if (_env.Cluster is not { } cluster)
        {
            return _locations.GetBindings;
        }

        var wanted = users.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var remote = wanted.Count == 0
            ? new Dictionary<string, IReadOnlyList<SipBinding>>()
            : await cluster.Bindings.FindAsync(wanted, cancellationToken).ConfigureAwait(false);
        return remote.Count == 0
            ? _locations.GetBindings
            : user => remote.TryGetValue(user, out var held) ? [.. _locations.GetBindings(user), .. held] : _locations.GetBindings(user);
    }

    /// <summary>
    /// An INVITE another node sent for one of this node's bindings (header <see cref="Cluster.NodeLegSigner.HeaderName"/>):
    /// 403 unless the token verifies for this Call-ID and was not taken before (a replayed INVITE rings nothing), 480
    /// when the binding is gone, else a call of its own that rings that binding only and reports nothing (the sending
    /// node reports the call, its legs and the pop-up).
    /// </summary>
    private void FromNode(InviteServerTransaction t, string token)
    {
        var invite = t.Request;
        if (_env.Cluster?.Legs.Redeem(token, invite.CallId) is not { } leg)
        {
            // Only a node holding the cluster's key ring can name a binding; a phone or carrier that tries is refused.
            _env.Logger.LogWarning("INVITE {CallId} from {Flow} carried a node leg that does not verify or was taken before", invite.CallId, t.Flow);
            Reject(t, 403, "Forbidden");
            return;
        }

        t.Respond(SipResponseFactory.Create(invite, 100, "Trying"));
        var now = _env.Time.GetUtcNow();
        var binding = _locations.GetBindings(leg.UserName)
            .FirstOrDefault(b => b.ContactKey == leg.ContactKey && b.IsLive(now) && b.Flow is not null);
        if (binding is null)
        {
            Reject(t, 480, "Temporarily Unavailable");
            return;
        }

        // The sending node chose the identity (hide the client's number, anonymous): shown as it came.
        var from = invite.ParseFrom();
        var caller = invite.GetHeader("Privacy") is "id" || from is null
            ? new CallerIdentity(null)
            : new CallerIdentity(from.Uri.User, from.DisplayName);
        var phone = new RingEmployee(0, CallReceivingMethod.Sip, leg.UserName, null, null, false);
        var setup = new CallSetup(0, null, CallDirection.Inbound, null, null, null, RelayRingSeconds);
        StartCall(t, setup, [new RingStep([new RingLeg(phone, [new RingDevice(binding, null)])])], (_, _) => caller, _env.Silent);
    }
}
