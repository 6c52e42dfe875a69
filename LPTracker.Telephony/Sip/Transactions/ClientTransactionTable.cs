using System.Collections.Concurrent;
using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>
/// Non-INVITE client transactions (RFC 3261 §17.1.2) for requests we originate, such as OPTIONS qualify pings.
/// On UDP the request is retransmitted on Timer E (T1 doubling to T2); Timer F (64*T1) ends it without a response.
/// </summary>
public sealed class ClientTransactionTable
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ISipSender _sender;
    private readonly TimeProvider _time;
    private readonly TimeSpan _t1;
    private readonly TimeSpan _t2;

    /// <summary>Creates the table sending through <paramref name="sender"/>.</summary>
    public ClientTransactionTable(ISipSender sender, TimeProvider time, TimeSpan t1, TimeSpan t2)
    {
        _sender = sender;
        _time = time;
        _t1 = t1;
        _t2 = t2;
    }

    /// <summary>Number of transactions awaiting a final response.</summary>
    public int Count => _pending.Count;

    /// <summary>
    /// Sends <paramref name="request"/> (whose top Via carries a fresh branch) and completes with the final
    /// response, or null on Timer F (or the shorter <paramref name="timeout"/>) or when the flow is gone.
    /// </summary>
    public async Task<SipResponse?> SendAsync(SipRequest request, SipFlow flow, IPEndPoint destination, CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var branch = request.TopVia?.Branch ?? throw new ArgumentException("The request needs a Via branch.", nameof(request));
        var key = branch + "|" + request.Method;
        var bytes = SipMessageWriter.ToBytes(request);
        var pending = new Pending(bytes, flow, destination);
        if (!_pending.TryAdd(key, pending))
        {
            throw new InvalidOperationException("Duplicate client transaction branch.");
        }

        await using var timerF = _time.CreateTimer(_ => pending.Result.TrySetResult(null), null, timeout ?? _t1 * 64, Timeout.InfiniteTimeSpan);
        await using var cancel = cancellationToken.Register(() => pending.Result.TrySetResult(null));
        ITimer? timerE = null;
        try
        {
            if (!await _sender.SendAsync(flow, destination, bytes, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (!flow.IsReliable)
            {
                pending.Interval = _t1;
                timerE = _time.CreateTimer(_ => Retransmit(pending), null, _t1, Timeout.InfiniteTimeSpan);
                pending.TimerE = timerE;
            }

            return await pending.Result.Task.ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
            timerE?.Dispose();
        }
    }

    /// <summary>Matches a response to a transaction (RFC 3261 §17.1.3); returns false for a stray response.</summary>
    public bool OnResponse(SipResponse response)
    {
        var branch = response.TopVia?.Branch;
        var method = response.ParseCSeq()?.Method;
        if (branch is null || method is null || !_pending.TryGetValue(branch + "|" + method, out var pending))
        {
            return false;
        }

        if (response.StatusCode < 200)
        {
            // Proceeding: keep Timer F, retransmit at T2 (RFC 3261 §17.1.2.2).
            pending.Interval = _t2;
            return true;
        }

        pending.Result.TrySetResult(response);
        return true;
    }

    private void Retransmit(Pending pending)
    {
        var timer = pending.TimerE;
        if (pending.Result.Task.IsCompleted || timer is null)
        {
            return;
        }

        _ = _sender.SendAsync(pending.Flow, pending.Destination, pending.Bytes, CancellationToken.None).AsTask();
        pending.Interval = pending.Interval * 2 > _t2 ? _t2 : pending.Interval * 2;
        timer.Change(pending.Interval, Timeout.InfiniteTimeSpan);
    }

    private sealed class Pending(byte[] bytes, SipFlow flow, IPEndPoint destination)
    {
        public byte[] Bytes { get; } = bytes;
        public SipFlow Flow { get; } = flow;
        public IPEndPoint Destination { get; } = destination;
        public TimeSpan Interval { get; set; }
        public ITimer? TimerE { get; set; }
        public TaskCompletionSource<SipResponse?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
