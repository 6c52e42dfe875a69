namespace LPTracker.Core.Cluster;

/// <summary>
/// Messages from this console node to the others (never to itself): the scale-out relay carries what
/// <see cref="Publish"/> sends and hands what other nodes sent to <see cref="Received"/>. Without a relay (one node)
/// publishing does nothing.
/// </summary>
/// <typeparam name="T">The message type (JSON-serialisable).</typeparam>
public sealed class NodeExchange<T>
{
    private Action<int, T>? _relay;

    /// <summary>Raised, on the relay's thread, for every message another node sent; handlers must not throw.</summary>
    public event Action<T>? Received;

    /// <summary>True once a relay carries messages (several nodes).</summary>
    public bool Connected => _relay is not null;

    /// <summary>Set by the scale-out relay (null detaches it).</summary>
    public void RelayTo(Action<int, T>? relay) => _relay = relay;

    /// <summary>Sends a message to the other nodes.</summary>
    public void Publish(T message) => _relay?.Invoke(0, message);

    /// <summary>Delivers a message another node sent (the relay calls this; the key is unused).</summary>
    public void PublishRelayed(int key, T message) => Received?.Invoke(message);
}

/// <summary>A SIP presence change of one employee on one node: how the other nodes' lists learn of phones they do not hold.</summary>
/// <param name="Node">The node holding (or that held) the phone's flow.</param>
/// <param name="AccountId">The employee's account.</param>
/// <param name="EmployeeId">The employee.</param>
/// <param name="UserName">The SIP user name.</param>
/// <param name="Online">Registered and reachable on that node.</param>
/// <param name="SinceUtc">When <paramref name="Online"/> last changed.</param>
/// <param name="Device">The newest binding's User-Agent.</param>
/// <param name="Address">The newest binding's source address.</param>
public sealed record NodePresence(string Node, int AccountId, int EmployeeId, string UserName, bool Online, DateTime SinceUtc,
    string? Device, string? Address);

/// <summary>What happened to an employee's SIP credentials (every node's registrar must follow).</summary>
public enum SipAccountChangeKind
{
    /// <summary>Issued for the first time.</summary>
    Issued,

    /// <summary>Regenerated: the old password no longer works, registrations end.</summary>
    Replaced,

    /// <summary>Deleted with the employee: registrations end.</summary>
    Removed,
}

/// <summary>An employee's SIP credentials changed on one node.</summary>
public sealed record SipAccountChange(int AccountId, int EmployeeId, string UserName, SipAccountChangeKind Kind);
