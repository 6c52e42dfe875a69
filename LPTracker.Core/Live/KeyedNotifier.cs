using System.Collections.Immutable;

namespace LPTracker.Core.Live;

/// <summary>
/// An in-process notifier of <typeparamref name="TEvent"/>s keyed by an id (an employee, an account). Subscribers
/// get <see cref="IDisposable"/> handles; handlers run on the publisher's thread and must be quick (components
/// marshal with <c>InvokeAsync</c>). Key 0 is reserved for subscribers of every key (server-side bridges).
/// </summary>
public sealed class KeyedNotifier<TEvent>
{
    private const int AllKeys = 0;

    private readonly object _gate = new();
    private Action<int, TEvent>? _relay;
    private ImmutableDictionary<int, ImmutableArray<Action<TEvent>>> _handlers = ImmutableDictionary<int, ImmutableArray<Action<TEvent>>>.Empty;

    /// <summary>Subscribes to the events of one key until the handle is disposed.</summary>
    public IDisposable Subscribe(int key, Action<TEvent> handler)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(key);
        return Add(key, handler);
    }

    /// <summary>Subscribes to the events of every key published on this node (relayed ones go to per-key subscribers
    /// only, as with <see cref="ChangeNotifier.SubscribeAll"/>).</summary>
    public IDisposable SubscribeAll(Action<TEvent> handler) => Add(AllKeys, handler);

    /// <summary>Sends every event published on this node to the other nodes as well (the scale-out relay).</summary>
    public void RelayTo(Action<int, TEvent>? relay) => _relay = relay;

    /// <summary>Delivers an event to the key's subscribers, to those of every key and through the relay to the
    /// other nodes; one failing handler stops no other.</summary>
    public void Publish(int key, TEvent e)
    {
        var handlers = Volatile.Read(ref _handlers);
        Deliver(handlers, key, e);
        Deliver(handlers, AllKeys, e);
        _relay?.Invoke(key, e);
    }

    /// <summary>Delivers an event another node published to this node's subscribers of its key.</summary>
    public void PublishRelayed(int key, TEvent e) => Deliver(Volatile.Read(ref _handlers), key, e);

    /// <summary>Number of live subscriptions of a key (tests, diagnostics).</summary>
    public int SubscriberCount(int key) => Volatile.Read(ref _handlers).TryGetValue(key, out var h) ? h.Length : 0;

    private static void Deliver(ImmutableDictionary<int, ImmutableArray<Action<TEvent>>> handlers, int key, TEvent e)
    {
        if (!handlers.TryGetValue(key, out var list))
        {
            return;
        }

        foreach (var handler in list)
        {
            try
            {
                handler(e);
            }
            catch (ObjectDisposedException)
            {
                // A circuit went away between publish and delivery; it unsubscribes in its Dispose.
            }
        }
    }

    private Subscription Add(int key, Action<TEvent> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.SetItem(key, _handlers.GetValueOrDefault(key, []).Add(handler));
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                var rest = _handlers.GetValueOrDefault(key, []).Remove(handler);
                _handlers = rest.IsEmpty ? _handlers.Remove(key) : _handlers.SetItem(key, rest);
            }
        });
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
