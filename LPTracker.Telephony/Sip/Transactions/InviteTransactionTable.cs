using System.Collections.Concurrent;
using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>The result of offering a received INVITE to <see cref="InviteTransactionTable.TryBegin"/>.</summary>
public enum InviteBegin
{
    /// <summary>A new transaction: the TU handles the INVITE.</summary>
    New,

    /// <summary>A retransmission: the transaction re-sent its last response; the TU sees nothing.</summary>
    Retransmission,

    /// <summary>The table is full: answer 503 statelessly (bounded state under a flood).</summary>
    Full,
}

/// <summary>
/// INVITE server and client transactions, matched per RFC 3261 §17.2.3 (server: branch + sent-by; ACK and CANCEL
/// find the INVITE by the same key) and §17.1.3 (client: branch + CSeq method). Bounded: at most
/// <c>capacity</c> server transactions, so an INVITE flood cannot grow memory without limit.
/// </summary>
public sealed class InviteTransactionTable
{
    private readonly ConcurrentDictionary<string, InviteServerTransaction> _server = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InviteClientTransaction> _client = new(StringComparer.Ordinal);
    private readonly ISipSender _sender;
    private readonly TimeProvider _time;
    private readonly SipTimers _timers;
    private readonly int _capacity;

    /// <summary>Creates the table.</summary>
    public InviteTransactionTable(ISipSender sender, TimeProvider time, SipTimers timers, int capacity)
    {
        _sender = sender;
        _time = time;
        _timers = timers;
        _capacity = capacity;
    }

    /// <summary>Live server transactions.</summary>
    public int ServerCount => _server.Count;

    /// <summary>Live client transactions.</summary>
    public int ClientCount => _client.Count;

    /// <summary>The timer base values.</summary>
    public SipTimers Timers => _timers;

    /// <summary>Starts a server transaction for a received INVITE, or absorbs a retransmission.</summary>
    public InviteBegin TryBegin(SipRequest invite, SipFlow flow, IPEndPoint destination, out InviteServerTransaction? transaction)
    {
        var key = KeyOf(invite);
        if (_server.TryGetValue(key, out transaction))
        {
            transaction.OnRetransmission();
            return InviteBegin.Retransmission;
        }

        if (_server.Count >= _capacity)
        {
            transaction = null;
            return InviteBegin.Full;
        }

        var created = new InviteServerTransaction(key, invite, flow, destination, _sender, _time, _timers);
        transaction = _server.GetOrAdd(key, created);
        if (!ReferenceEquals(transaction, created))
        {
            transaction.OnRetransmission();
            return InviteBegin.Retransmission;
        }

        created.Terminated += (t, _) => _server.TryRemove(new KeyValuePair<string, InviteServerTransaction>(t.Key, t));
        return InviteBegin.New;
    }

    /// <summary>The INVITE server transaction an ACK (non-2xx) or CANCEL refers to, by the same branch (§9.2, §17.2.3).</summary>
    public InviteServerTransaction? FindServer(SipRequest ackOrCancel) =>
        ackOrCancel.TopVia is null ? null : _server.GetValueOrDefault(KeyOf(ackOrCancel));

    /// <summary>Starts a client transaction: sends the INVITE (whose top Via carries a fresh branch).</summary>
    public InviteClientTransaction StartClient(SipRequest invite, SipFlow flow, IPEndPoint destination,
        Action<InviteClientTransaction, SipResponse?> onResponse)
    {
        var transaction = new InviteClientTransaction(invite, flow, destination, _sender, _time, _timers, onResponse);
        if (!_client.TryAdd(transaction.Branch, transaction))
        {
            throw new InvalidOperationException("Duplicate client transaction branch.");
        }

        transaction.Terminated += t => _client.TryRemove(new KeyValuePair<string, InviteClientTransaction>(t.Branch, t));
        transaction.Start();
        return transaction;
    }

    /// <summary>Routes a response to its INVITE client transaction; false when it is not one of ours.</summary>
    public bool OnResponse(SipResponse response)
    {
        if (response.TopVia?.Branch is not { } branch || response.ParseCSeq()?.Method != SipMethods.Invite
            || !_client.TryGetValue(branch, out var transaction))
        {
            return false;
        }

        transaction.OnResponse(response);
        return true;
    }

    /// <summary>The server key: an ACK or CANCEL matches the INVITE with the same branch and sent-by.</summary>
    internal static string KeyOf(SipRequest request)
    {
        var via = request.TopVia!;
        var port = via.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (via.Branch is { Length: > 7 } branch && branch.StartsWith("z9hG4bK", StringComparison.Ordinal))
        {
            return string.Concat(branch, "|", via.Host, ":", port);
        }

        // RFC 2543 peers: Call-ID, CSeq number, From tag and top Via identify the INVITE (§17.2.3).
        var cseq = request.ParseCSeq()?.Number ?? 0;
        return string.Join('|', request.CallId, cseq, request.ParseFrom()?.Tag, via.Host, port, via.Branch);
    }
}
