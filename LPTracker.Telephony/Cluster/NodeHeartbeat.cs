using System.Data.Common;
using LPTracker.Core.Cluster;
using LPTracker.Core.Live;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Registrar;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Cluster;

/// <summary>
/// Several nodes: writes this node's heartbeat (its <see cref="ClusterNode"/> row) every beat and expires the nodes
/// whose heartbeat stopped. The node that removes a silent node's row (one DELETE, so one node wins) deletes its SIP
/// bindings and announces its phones offline to every node; the others drop what they still showed of it. A node that
/// finds its own row gone (the database was out of reach for longer than the expiry) writes its bindings and presence
/// again.
/// </summary>
public sealed class NodeHeartbeat(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    SipServer server,
    NodeIdentity node,
    ClusterSettings settings,
    RemotePresence remote,
    NodeExchange<NodePresence> exchange,
    ChangeNotifier notifier,
    IRegistrationEvents registrations,
    ISipPresenceSource presence,
    IBindingPersistence bindings,
    TimeProvider time,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    private bool _registered;
    private string _address = "";
    private DateTime _startedUtc;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!server.IsRunning || !exchange.Connected)
        {
            await Task.Delay(100, stoppingToken).ConfigureAwait(false);
        }

        _address = settings.ResolveSipAddress(server.BoundEndpoints);
        _startedUtc = time.GetUtcNow().UtcDateTime;
        logger.LogInformation("Node {Node} takes SIP at {Address}; heartbeat every {Heartbeat}", node.Id, _address, settings.Heartbeat);
        using var timer = new PeriodicTimer(settings.Heartbeat, time);
        var loaded = false;
        do
        {
            try
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
                if (!loaded)
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    await using var db = await dbFactory.CreateDbContextAsync(stoppingToken).ConfigureAwait(false);
                    await remote.LoadAsync(db, now, now - settings.Expiry, stoppingToken).ConfigureAwait(false);
                    loaded = true;
                }
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning(ex, "Node heartbeat failed; retrying in {Heartbeat}", settings.Heartbeat);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One beat: this node's row, then the silent nodes (public for tests, which drive beats themselves).</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var touched = await db.ClusterNodes.Where(n => n.Id == node.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.LastSeenUtc, now).SetProperty(n => n.SipAddress, _address), cancellationToken)
            .ConfigureAwait(false);
        if (touched == 0)
        {
            db.ClusterNodes.Add(new ClusterNode { Id = node.Id, SipAddress = _address, StartedUtc = _startedUtc, LastSeenUtc = now });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            if (_registered)
            {
                logger.LogWarning("Node {Node} had been expired by its peers; announcing its phones again", node.Id);
                await AnnounceAgainAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _registered = true;
        var cutoff = now - settings.Expiry;
        var nodes = await db.ClusterNodes.AsNoTracking().Select(n => new { n.Id, n.LastSeenUtc }).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var silent in nodes.Where(n => n.Id != node.Id && n.LastSeenUtc < cutoff))
        {
            await ExpireAsync(db, silent.Id, cutoff, now, cancellationToken).ConfigureAwait(false);
        }

        // Another node expired one that this node still shows (or its row vanished): drop it here too.
        var alive = nodes.Where(n => n.LastSeenUtc >= cutoff).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in remote.NodesWithOnlinePhones().Where(n => !alive.Contains(n)))
        {
            remote.ForgetNode(gone, now);
        }
    }

    private async Task ExpireAsync(LptrackerDbContext db, string nodeId, DateTime cutoff, DateTime now, CancellationToken cancellationToken)
    {
        var won = await db.ClusterNodes.Where(n => n.Id == nodeId && n.LastSeenUtc < cutoff).ExecuteDeleteAsync(cancellationToken)
            .ConfigureAwait(false);
        if (won == 0)
        {
            return;
        }

        // System-wide on purpose: a node's bindings span every account.
        var held = db.SipBindings.IgnoreQueryFilters().Where(b => b.NodeId == nodeId);
        var phones = await held.Select(b => new { b.AccountId, b.EmployeeId, b.UserName }).Distinct().ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var deleted = await held.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        logger.LogWarning("Node {Node} stopped its heartbeat: {Bindings} SIP bindings of {Phones} users expired", nodeId, deleted, phones.Count);
        foreach (var phone in phones)
        {
            var offline = new NodePresence(nodeId, phone.AccountId, phone.EmployeeId, phone.UserName, false, now, null, null);
            remote.Apply(offline);
            exchange.Publish(offline);
            // Through the normal change event: this node's hub bridges tell every node's hub clients.
            notifier.Publish(new EmployeeChange(phone.AccountId, phone.EmployeeId, EmployeeChangeKind.SipStatus));
            if (presence.Get(phone.EmployeeId).Status != SipStatus.Online)
            {
                registrations.Transition(new RegistrationTransition(phone.AccountId, phone.EmployeeId, false, RegistrationReason.Expired, now,
                    null, null, null));
            }
        }

        remote.ForgetNode(nodeId, now);
    }

    private async Task AnnounceAgainAsync(CancellationToken cancellationToken)
    {
        foreach (var user in server.Locations.GetAll().GroupBy(b => b.UserName, StringComparer.Ordinal))
        {
            await bindings.SaveAsync(user.Key, user.ToList(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var presence in server.Presence.GetAll())
        {
            exchange.Publish(new NodePresence(node.Id, presence.AccountId, (int)presence.EmployeeId, presence.UserName, presence.Online,
                presence.Since.UtcDateTime, presence.UserAgent, presence.RemoteAddress));
        }
    }
}
