namespace LPTracker.Core.Telephony;

/// <summary>Where the registrar actually listens, so SIP data shows the port phones can reach (not a guess).</summary>
public interface ISipListenerInfo
{
    /// <summary>The port the UDP listener bound, or null when no registrar runs in this process.</summary>
    int? UdpPort { get; }
}

/// <summary>The default when no registrar runs in the process.</summary>
public sealed class NoSipListener : ISipListenerInfo
{
    /// <inheritdoc />
    public int? UdpPort => null;
}
