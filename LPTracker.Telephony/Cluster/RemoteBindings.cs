using LPTracker.Telephony.Registrar;

namespace LPTracker.Telephony.Cluster;

/// <summary>
/// The bindings other nodes hold (several nodes): a call that arrives here rings them through their node, which relays
/// the INVITE over the phone's own flow (as RFC 3327 Path does for a proxy).
/// </summary>
public interface IRemoteBindings
{
    /// <summary>Live bindings of <paramref name="users"/> held by other live nodes, each with its node
    /// (<see cref="SipBinding.HeldBy"/>); users without any are left out.</summary>
    ValueTask<IReadOnlyDictionary<string, IReadOnlyList<SipBinding>>> FindAsync(IReadOnlyCollection<string> users,
        CancellationToken cancellationToken);
}

/// <summary>What a cluster adds to calls: the other nodes' bindings and the signer of the legs sent to them.</summary>
/// <param name="Bindings">Where the other nodes' bindings are read.</param>
/// <param name="Legs">Signs legs sent to, and checks legs received from, other nodes.</param>
public sealed record ClusterCalls(IRemoteBindings Bindings, NodeLegSigner Legs);
