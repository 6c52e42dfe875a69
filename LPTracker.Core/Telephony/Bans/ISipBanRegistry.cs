namespace LPTracker.Core.Telephony.Bans;

/// <summary>
/// A registrar ban in force on this node (raised here, or by another node and relayed: docs/decisions/0059).
/// </summary>
/// <param name="Address">The source address.</param>
/// <param name="User">The SIP user banned from the address, or null when the whole address is banned.</param>
/// <param name="Reason"><c>password</c> (one user failing), <c>scan</c> (many distinct users failing), <c>flood</c>.</param>
/// <param name="Failures">Failures counted when the ban started.</param>
/// <param name="SinceUtc">When it started.</param>
/// <param name="UntilUtc">When it ends by itself.</param>
/// <param name="UsersTried">SIP user names that failed from the address (the banned user for a per-user ban).</param>
/// <param name="Node">The console node whose registrar counted the failures (<see cref="LPTracker.Core.Cluster.NodeIdentity"/>).</param>
public sealed record SipBanEntry(
    string Address, string? User, string Reason, int Failures, DateTime SinceUtc, DateTime UntilUtc, IReadOnlyList<string> UsersTried,
    string Node = "");

/// <summary>
/// The registrar's bans as the console sees them. With several nodes every node enforces and lists the bans any node
/// raised, and a lift on one node lifts the ban on all (docs/decisions/0059).
/// </summary>
public interface ISipBanRegistry
{
    /// <summary>The bans in force, ending soonest first.</summary>
    IReadOnlyList<SipBanEntry> Active();

    /// <summary>Lifts a ban (the user's from the address, or the whole address's when <paramref name="user"/> is
    /// null) on this node and tells the others; false when there was none here.</summary>
    bool Lift(string address, string? user);

    /// <summary>Calls <paramref name="changed"/> (on the registrar's thread) when a ban starts or is lifted.</summary>
    IDisposable Subscribe(Action changed);
}

/// <summary>No registrar runs on this node: nothing is banned.</summary>
public sealed class NoSipBans : ISipBanRegistry
{
    /// <inheritdoc />
    public IReadOnlyList<SipBanEntry> Active() => [];

    /// <inheritdoc />
    public bool Lift(string address, string? user) => false;

    /// <inheritdoc />
    public IDisposable Subscribe(Action changed) => new Nothing();

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
