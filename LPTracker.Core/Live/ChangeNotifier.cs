using System.Collections.Concurrent;

namespace LPTracker.Core.Live;

/// <summary>What changed about an employee, for open lists to refresh.</summary>
public enum EmployeeChangeKind
{
    Created,
    Updated,
    Deleted,
    SwitchToggled,
    SipStatus,
    Projects,

    /// <summary>The employee's phone started or stopped ringing, or a call was answered or ended.</summary>
    CallState,
}

/// <summary>One change within an account. <see cref="EmployeeId"/> is null for account-wide changes.</summary>
public sealed record EmployeeChange(int AccountId, int? EmployeeId, EmployeeChangeKind Kind);

/// <summary>
/// In-process notifier: services publish changes, open lists and the telephony hub subscribe per account.
/// Handlers run on the publisher's thread and must be quick (components marshal with <c>InvokeAsync</c>).
/// </summary>
public sealed class ChangeNotifier
{
    private const int AllAccounts = 0;

    private readonly ConcurrentDictionary<int, ImmutableHandlers> _byAccount = new();
    private Action<EmployeeChange>? _relay;

    /// <summary>Subscribes to the changes of one account until the returned handle is disposed.</summary>
    public IDisposable Subscribe(int accountId, Action<EmployeeChange> handler)
    {
        _byAccount.AddOrUpdate(accountId, _ => new ImmutableHandlers([handler]), (_, h) => h.With(handler));
        return new Subscription(() => _byAccount.AddOrUpdate(accountId, _ => new ImmutableHandlers([]), (_, h) => h.Without(handler)));
    }

    /// <summary>
    /// Subscribes to the changes of every account made on this node (server-side bridges such as the SignalR hub).
    /// Changes relayed from other nodes are not delivered here: each node's bridges act on its own changes once
    /// (the SignalR backplane carries their messages to the other nodes' clients).
    /// </summary>
    public IDisposable SubscribeAll(Action<EmployeeChange> handler) => Subscribe(AllAccounts, handler);

    /// <summary>
    /// Sends every change published on this node to the other nodes as well (set once by the scale-out relay;
    /// without one the console is a single node and everything stays in-process).
    /// </summary>
    public void RelayTo(Action<EmployeeChange>? relay) => _relay = relay;

    /// <summary>Tells every subscriber of the change's account, here and through the relay on the other nodes;
    /// a failing handler does not stop the others.</summary>
    public void Publish(EmployeeChange change)
    {
        Deliver(change.AccountId, change);
        Deliver(AllAccounts, change);
        _relay?.Invoke(change);
    }

    /// <summary>Delivers a change that another node published to this node's per-account subscribers.</summary>
    public void PublishRelayed(EmployeeChange change) => Deliver(change.AccountId, change);

    private void Deliver(int key, EmployeeChange change)
    {
        if (!_byAccount.TryGetValue(key, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers.Items)
        {
            try
            {
                handler(change);
            }
            catch (ObjectDisposedException)
            {
                // A circuit went away between publish and delivery; it unsubscribes in its Dispose.
            }
        }
    }

    /// <summary>Number of live subscriptions of an account (for tests and diagnostics).</summary>
    public int SubscriberCount(int accountId) => _byAccount.TryGetValue(accountId, out var h) ? h.Items.Length : 0;

    private sealed record ImmutableHandlers(Action<EmployeeChange>[] Items)
    {
        public ImmutableHandlers With(Action<EmployeeChange> h) => new([.. Items, h]);

        public ImmutableHandlers Without(Action<EmployeeChange> h) => new(Items.Where(x => x != h).ToArray());
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
