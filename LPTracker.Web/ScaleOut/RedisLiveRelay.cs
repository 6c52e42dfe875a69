using System.Text.Json;
using LPTracker.Core.Calls;
using LPTracker.Core.Cluster;
using LPTracker.Core.Live;
using StackExchange.Redis;

namespace LPTracker.Web.ScaleOut;

/// <summary>
/// Carries the live events between console nodes over Redis pub/sub: what a node publishes (employee changes, SIP
/// status, call state, pop-ups, call-log refreshes) reaches the open pages of every other node; the registrars tell each
/// other of presence (with device and address), of SIP credential changes and of SIP bans. Each kind has its own channel, read in
/// order; a node ignores its own messages (it delivered them already).
/// </summary>
public sealed class RedisLiveRelay(
    RedisConnection redis,
    NodeIdentity node,
    ChangeNotifier changes,
    KeyedNotifier<PopUpChange> popUps,
    KeyedNotifier<CallLogChange> callLog,
    NodeExchange<NodePresence> presence,
    NodeExchange<SipAccountChange> sipAccounts,
    NodeExchange<SipBanMessage> sipBans,
    ILogger<RedisLiveRelay> logger) : IHostedService
{
    private const string Prefix = "lpt:live:";

    private readonly List<ChannelMessageQueue> _queues = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await BridgeAsync<EmployeeChange>("employee", r => changes.RelayTo(r is null ? null : e => r(e.AccountId, e)), (_, e) => changes.PublishRelayed(e));
        await BridgeAsync<PopUpChange>("popup", popUps.RelayTo, popUps.PublishRelayed);
        await BridgeAsync<CallLogChange>("calllog", callLog.RelayTo, callLog.PublishRelayed);
        await BridgeAsync<NodePresence>("presence", presence.RelayTo, presence.PublishRelayed);
        await BridgeAsync<SipAccountChange>("sipaccount", sipAccounts.RelayTo, sipAccounts.PublishRelayed);
        await BridgeAsync<SipBanMessage>("sipban", sipBans.RelayTo, sipBans.PublishRelayed);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        changes.RelayTo(null);
        popUps.RelayTo(null);
        callLog.RelayTo(null);
        presence.RelayTo(null);
        sipAccounts.RelayTo(null);
        sipBans.RelayTo(null);
        foreach (var queue in _queues)
        {
            try
            {
                // Not waiting for Redis: the connection closes with the node anyway, and a stop must not hang on (or
                // fail because of) a Redis that is gone — a failed stop made the host abort instead of exiting.
                await queue.UnsubscribeAsync(CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Redis did not take the unsubscription while the node stopped");
            }
        }
    }

    private async Task BridgeAsync<T>(string kind, Action<Action<int, T>?> attach, Action<int, T> deliver)
    {
        var channel = RedisChannel.Literal(Prefix + kind);
        var subscriber = redis.Multiplexer.GetSubscriber();
        var queue = await subscriber.SubscribeAsync(channel);
        queue.OnMessage(message => Receive(kind, message.Message, deliver));
        _queues.Add(queue);
        attach((key, e) => Send(subscriber, channel, new Envelope<T>(node.Id, key, e)));
    }

    private void Send<T>(ISubscriber subscriber, RedisChannel channel, Envelope<T> envelope)
    {
        try
        {
            subscriber.Publish(channel, JsonSerializer.SerializeToUtf8Bytes(envelope), CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            // Redis is down: this node's own pages were told already; the others catch up on their next load.
            logger.LogWarning(ex, "A live event could not be sent to the other nodes");
        }
    }

    private void Receive<T>(string kind, RedisValue message, Action<int, T> deliver)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope<T>>((byte[])message!);
            if (envelope is not null && envelope.Node != node.Id)
            {
                deliver(envelope.Key, envelope.Event);
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "A {Kind} event from another node could not be read (different versions?)", kind);
        }
    }

    private sealed record Envelope<T>(string Node, int Key, T Event);
}
