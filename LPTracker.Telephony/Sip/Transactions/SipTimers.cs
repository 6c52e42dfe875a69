namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>RFC 3261's timer base values (§17.1.1.1, Table 4); every transaction timer derives from them.</summary>
/// <param name="T1">RTT estimate, 500 ms by default.</param>
/// <param name="T2">Largest retransmit interval for non-INVITE requests and INVITE responses, 4 s.</param>
/// <param name="T4">How long a message may stay in the network, 5 s (Timer I, K).</param>
public sealed record SipTimers(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    /// <summary>RFC 3261's defaults.</summary>
    public static SipTimers Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>How long an INVITE may stay in Proceeding (after a provisional, Timer B no longer applies): a guard
    /// like RFC 3261 §16.6's Timer C (&gt; 3 min), so a peer that rings forever cannot hold a transaction forever.
    /// The B2BUA's own ring timers end a ringing fork long before.</summary>
    public TimeSpan TimerC => TimeSpan.FromMinutes(3) > T1 * 64 ? TimeSpan.FromMinutes(3) : T1 * 64;

    /// <summary>Timer D: how long a client keeps a Completed INVITE transaction to absorb final retransmissions (≥ 32 s on UDP).</summary>
    public TimeSpan TimerD => TimeSpan.FromSeconds(32) > T1 * 64 ? TimeSpan.FromSeconds(32) : T1 * 64;
}
