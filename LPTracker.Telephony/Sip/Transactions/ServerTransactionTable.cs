using System.Collections.Concurrent;
using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>Non-INVITE server transaction states (RFC 3261 §17.2.2, Figure 8).</summary>
public enum ServerTransactionState
{
    /// <summary>Request received, the TU is working on it.</summary>
    Trying,

    /// <summary>A provisional response was sent.</summary>
    Proceeding,

    /// <summary>A final response was sent; retransmissions get it again until Timer J fires.</summary>
    Completed,
}

/// <summary>One non-INVITE server transaction.</summary>
public sealed class ServerTransaction
{
    internal ServerTransaction(string key) => Key = key;

    /// <summary>The matching key (RFC 3261 §17.2.3).</summary>
    public string Key { get; }

    /// <summary>The current state.</summary>
    public ServerTransactionState State { get; internal set; }

    /// <summary>The last response sent, for retransmissions.</summary>
    public byte[]? LastResponse { get; internal set; }

    /// <summary>Where responses go.</summary>
    public IPEndPoint? Destination { get; internal set; }

    internal DateTimeOffset RemoveAt { get; set; } = DateTimeOffset.MaxValue;
}

/// <summary>
/// Holds non-INVITE server transactions so a retransmitted request is answered with the stored response instead of
/// reaching the registrar again. Completed transactions are kept for Timer J = 64*T1 on UDP and dropped at once on
/// TCP; a sweep on the injected <see cref="TimeProvider"/> removes them.
/// </summary>
public sealed class ServerTransactionTable : IDisposable
{
    private readonly ConcurrentDictionary<string, ServerTransaction> _transactions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _timerJ;
    private readonly ITimer _sweep;

    /// <summary>Creates the table; <paramref name="t1"/> is RFC 3261's T1.</summary>
    public ServerTransactionTable(TimeProvider time, TimeSpan t1)
    {
        _time = time;
        _timerJ = t1 * 64;
        var tick = TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(10, t1.TotalMilliseconds)));
        _sweep = time.CreateTimer(_ => Sweep(), null, tick, tick);
    }

    /// <summary>Number of live transactions.</summary>
    public int Count => _transactions.Count;

    /// <summary>
    /// Starts a transaction for <paramref name="request"/>; returns false with the existing one when the request is
    /// a retransmission.
    /// </summary>
    public bool TryBegin(SipRequest request, out ServerTransaction transaction)
    {
        var key = KeyOf(request);
        var created = new ServerTransaction(key);
        transaction = _transactions.GetOrAdd(key, created);
        return ReferenceEquals(transaction, created);
    }

    /// <summary>Records the final response and starts Timer J (0 on reliable transports).</summary>
    public void Complete(ServerTransaction transaction, byte[] response, IPEndPoint destination, SipFlow flow)
    {
        transaction.LastResponse = response;
        transaction.Destination = destination;
        transaction.State = ServerTransactionState.Completed;
        if (flow.IsReliable)
        {
            _transactions.TryRemove(transaction.Key, out _);
        }
        else
        {
            transaction.RemoveAt = _time.GetUtcNow() + _timerJ;
        }
    }

    /// <summary>Forgets a transaction that ended without a stored response (e.g. the request was dropped).</summary>
    public void Abandon(ServerTransaction transaction) => _transactions.TryRemove(transaction.Key, out _);

    /// <summary>Removes transactions whose Timer J fired.</summary>
    public void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var pair in _transactions)
        {
            if (pair.Value.RemoveAt <= now)
            {
                _transactions.TryRemove(pair.Key, out _);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _sweep.Dispose();

    /// <summary>
    /// The RFC 3261 §17.2.3 key: branch + sent-by + method for magic-cookie branches; otherwise the RFC 2543
    /// fallback of Call-ID, CSeq, From tag and the top Via.
    /// </summary>
    internal static string KeyOf(SipRequest request)
    {
        var via = request.TopVia!;
        var branch = via.Branch;
        // ACK to a non-2xx matches the INVITE transaction; we never keep INVITE transactions, so ACK keys on itself.
        var method = request.Method;
        if (branch is not null && branch.StartsWith("z9hG4bK", StringComparison.Ordinal) && branch.Length > 7)
        {
            return string.Concat(branch, "|", via.Host, ":", via.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", "|", method);
        }

        var fromTag = request.ParseFrom()?.Tag ?? "";
        return string.Join('|', request.CallId, request.GetHeader(SipHeaderNames.CSeq), fromTag, via.Host, via.Port, branch);
    }
}
