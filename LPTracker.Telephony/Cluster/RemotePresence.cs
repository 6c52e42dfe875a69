using System.Collections.Concurrent;
using System.Collections.Immutable;
using LPTracker.Core.Cluster;
using LPTracker.Core.Live;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Cluster;

/// <summary>
/// The presence of phones held by the other nodes, per employee and node: filled from the database at start and kept
/// current by the <see cref="NodePresence"/> messages those nodes send. Each change refreshes this node's open lists.
/// Empty on a single node (a lookup that finds nothing).
/// </summary>
public sealed class RemotePresence : IDisposable
{
    private readonly ConcurrentDictionary<int, ImmutableArray<NodePresence>> _byEmployee = new();
    private readonly NodeExchange<NodePresence> _exchange;
    private readonly ChangeNotifier _notifier;
    private readonly NodeIdentity _node;
    private readonly ILogger<RemotePresence> _logger;

    public RemotePresence(NodeExchange<NodePresence> exchange, ChangeNotifier notifier, NodeIdentity node, ILogger<RemotePresence> logger)
    {
        _exchange = exchange;
        _notifier = notifier;
        _node = node;
        _logger = logger;
        _exchange.Received += OnReceived;
    }

    /// <summary>The employee's presence on other nodes: an online one if any (the longest online), else the latest; or null.</summary>
    public NodePresence? Get(int employeeId)
    {
        if (!_byEmployee.TryGetValue(employeeId, out var entries) || entries.IsEmpty)
        {
            return null;
        }

        NodePresence? best = null;
        foreach (var e in entries)
        {
            var better = best is null
                || (e.Online != best.Online ? e.Online : e.Online ? e.SinceUtc < best.SinceUtc : e.SinceUtc > best.SinceUtc);
            best = better ? e : best;
        }

        return best;
    }

    /// <summary>Takes a node's report (ignoring this node's own) and refreshes this node's lists of the account.</summary>
    public void Apply(NodePresence presence)
    {
        if (presence.Node == _node.Id || presence.EmployeeId <= 0)
        {
            return;
        }

        _byEmployee.AddOrUpdate(presence.EmployeeId, _ => [presence],
            (_, list) => list.RemoveAll(p => p.Node == presence.Node).Add(presence));
        _notifier.PublishRelayed(new EmployeeChange(presence.AccountId, presence.EmployeeId, EmployeeChangeKind.SipStatus));
    }

    /// <summary>Marks offline every phone of a node that is gone (missed its heartbeats); returns what changed.</summary>
    public IReadOnlyList<NodePresence> ForgetNode(string nodeId, DateTime nowUtc)
    {
        var gone = new List<NodePresence>();
        foreach (var (_, list) in _byEmployee)
        {
            gone.AddRange(list.Where(p => p.Node == nodeId && p.Online)
                .Select(p => p with { Online = false, SinceUtc = nowUtc, Device = null, Address = null }));
        }

        foreach (var offline in gone)
        {
            Apply(offline);
        }

        return gone;
    }

    /// <summary>Nodes that hold online phones in this view (for the heartbeat's check against the live nodes).</summary>
    public IReadOnlySet<string> NodesWithOnlinePhones() =>
        _byEmployee.Values.SelectMany(l => l).Where(p => p.Online).Select(p => p.Node).ToHashSet(StringComparer.Ordinal);

    /// <summary>Reads the phones held by the live other nodes (their unexpired bindings) at start.</summary>
    public async Task LoadAsync(LptrackerDbContext db, DateTime nowUtc, DateTime aliveSinceUtc, CancellationToken cancellationToken)
    {
        var me = _node.Id;
        var alive = db.ClusterNodes.Where(n => n.Id != me && n.LastSeenUtc >= aliveSinceUtc).Select(n => n.Id);
        // System-wide on purpose: the registrar's view covers every account.
        var rows = await db.SipBindings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.NodeId != null && alive.Contains(b.NodeId) && b.ExpiresUtc > nowUtc)
            .Select(b => new { b.NodeId, b.AccountId, b.EmployeeId, b.UserName, b.RegisteredUtc, b.UserAgent, b.RemoteEndPoint })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in rows.GroupBy(r => (r.NodeId, r.EmployeeId)))
        {
            var newest = group.MaxBy(r => r.RegisteredUtc)!;
            var address = newest.RemoteEndPoint.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0
                ? newest.RemoteEndPoint[(colon + 1)..]
                : newest.RemoteEndPoint;
            Apply(new NodePresence(newest.NodeId!, newest.AccountId, newest.EmployeeId, newest.UserName, true,
                group.Min(r => r.RegisteredUtc), newest.UserAgent, address));
        }

        _logger.LogInformation("Read {Count} phones held by other nodes", rows.Count);
    }

    public void Dispose() => _exchange.Received -= OnReceived;

    private void OnReceived(NodePresence presence)
    {
        try
        {
            Apply(presence);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "A presence report from node {Node} could not be applied", presence.Node);
        }
    }
}
