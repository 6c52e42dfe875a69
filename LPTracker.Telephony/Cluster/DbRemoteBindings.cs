using System.Collections.Concurrent;
using System.Net;
using LPTracker.Core.Cluster;
using LPTracker.Core.Persistence;
using LPTracker.Telephony.Integration;
using LPTracker.Telephony.Registrar;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Telephony.Cluster;

/// <summary>
/// Reads the other nodes' bindings from the shared database at call set-up (one query per call, beside the ring plan's):
/// unexpired rows of live nodes (heartbeat within <see cref="ClusterSettings.Expiry"/>), with the node's SIP address.
/// A binding a node wrote in the last moments (its writes batch for 200 ms) may be missed by a call of that instant.
/// </summary>
public sealed class DbRemoteBindings(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    NodeIdentity node,
    ClusterSettings settings,
    TimeProvider time) : IRemoteBindings
{
    private readonly ConcurrentDictionary<string, IPEndPoint?> _addresses = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyDictionary<string, IReadOnlyList<SipBinding>>> FindAsync(IReadOnlyCollection<string> users,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var aliveSince = now - settings.Expiry;
        var me = node.Id;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // System-wide on purpose: the registrar serves every account.
        var rows = await (
                from b in db.SipBindings.IgnoreQueryFilters().AsNoTracking()
                join n in db.ClusterNodes on b.NodeId equals (string?)n.Id
                where users.Contains(b.UserName) && b.NodeId != me && b.ExpiresUtc > now && n.LastSeenUtc >= aliveSince
                select new { Binding = b, n.Id, n.SipAddress })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, IReadOnlyList<SipBinding>>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(r => r.Binding.UserName, StringComparer.Ordinal))
        {
            var list = new List<SipBinding>();
            foreach (var row in group)
            {
                if (await AddressAsync(row.SipAddress, cancellationToken).ConfigureAwait(false) is { } address
                    && DbBindingPersistence.ToTelephony(row.Binding) is { } binding)
                {
                    list.Add(binding with { HeldBy = new RemoteNode(row.Id, address) });
                }
            }

            if (list.Count > 0)
            {
                found[group.Key] = list;
            }
        }

        return found;
    }

    private async ValueTask<IPEndPoint?> AddressAsync(string address, CancellationToken cancellationToken)
    {
        if (_addresses.TryGetValue(address, out var known))
        {
            return known;
        }

        var parsed = await ClusterSettings.ParseAsync(address, cancellationToken).ConfigureAwait(false);
        _addresses[address] = parsed;
        return parsed;
    }
}
