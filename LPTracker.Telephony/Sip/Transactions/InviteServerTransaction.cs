using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>INVITE server transaction states (RFC 3261 §17.2.1 as updated by RFC 6026 §7.1).</summary>
public enum InviteServerState
{
    /// <summary>The INVITE was received; provisional responses may be sent.</summary>
    Proceeding,

    /// <summary>A 3xx–6xx was sent; it is retransmitted on Timer G until the ACK arrives or Timer H fires.</summary>
    Completed,

    /// <summary>A 2xx was sent (RFC 6026): retransmitted INVITEs are absorbed until Timer L fires.</summary>
    Accepted,

    /// <summary>The ACK for a non-2xx arrived; further ACKs are absorbed until Timer I fires.</summary>
    Confirmed,

    /// <summary>Over; the table forgets it.</summary>
    Terminated,
}

/// <summary>
/// One INVITE server transaction. Besides the RFC 3261 state machine it retransmits its 2xx until the ACK
/// (the UAS core's duty in §13.3.1.4, kept here because the transaction already holds the bytes, the flow and a
/// timer; Timer L bounds both). All timers run on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class InviteServerTransaction
{
    private readonly Lock _gate = new();
    private readonly ISipSender _sender;
    private readonly TimeProvider _time;
    private readonly SipTimers _timers;
    private byte[]? _lastResponse;
    private ITimer? _retransmit;
    private ITimer? _end;
    private TimeSpan _interval;

    internal InviteServerTransaction(string key, SipRequest request, SipFlow flow, IPEndPoint destination, ISipSender sender,
        TimeProvider time, SipTimers timers)
    {
        Key = key;
        Request = request;
        Flow = flow;
        Destination = destination;
        _sender = sender;
        _time = time;
        _timers = timers;
    }

    /// <summary>The matching key (branch, sent-by, INVITE).</summary>
    public string Key { get; }

    /// <summary>The INVITE.</summary>
    public SipRequest Request { get; }

    /// <summary>The flow the INVITE arrived on.</summary>
    public SipFlow Flow { get; }

    /// <summary>Where responses go (RFC 3261 §18.2.2, RFC 3581).</summary>
    public IPEndPoint Destination { get; }

    /// <summary>The current state.</summary>
    public InviteServerState State { get; private set; }

    /// <summary>The call (or relay) this INVITE belongs to, so a CANCEL finds it.</summary>
    internal object? Owner { get; set; }

    /// <summary>The final status sent, or 0.</summary>
    public int FinalStatus { get; private set; }

    /// <summary>Raised once when the transaction terminates; <c>true</c> when it ended because no ACK came
    /// (Timer H, or Timer L while the 2xx was still unacknowledged).</summary>
    internal event Action<InviteServerTransaction, bool>? Terminated;

    /// <summary>Sends a response: 1xx keeps Proceeding, 2xx moves to Accepted, 3xx–6xx to Completed.
    /// Returns false when the transaction already sent a final response (the response is not sent).</summary>
    public bool Respond(SipResponse response)
    {
        var bytes = SipMessageWriter.ToBytes(response);
        lock (_gate)
        {
            if (State != InviteServerState.Proceeding)
            {
                return false;
            }

            _lastResponse = bytes;
            if (response.StatusCode >= 200)
            {
                FinalStatus = response.StatusCode;
                State = response.StatusCode < 300 ? InviteServerState.Accepted : InviteServerState.Completed;
                // Timer G (non-2xx) and the 2xx retransmission both start at T1 and only matter on UDP.
                if (!Flow.IsReliable || State == InviteServerState.Accepted)
                {
                    _interval = _timers.T1;
                    _retransmit = Flow.IsReliable ? null : _time.CreateTimer(_ => Retransmit(), null, _interval, Timeout.InfiniteTimeSpan);
                }

                // Timer H (wait for ACK) and Timer L (Accepted) are both 64*T1.
                _end = _time.CreateTimer(_ => Terminate(noAck: true), null, _timers.T1 * 64, Timeout.InfiniteTimeSpan);
            }
        }

        Send(bytes);
        return true;
    }

    /// <summary>A retransmitted INVITE: the last response goes out again (§17.2.1); nothing reaches the TU.</summary>
    public void OnRetransmission()
    {
        byte[]? bytes;
        lock (_gate)
        {
            bytes = State is InviteServerState.Proceeding or InviteServerState.Completed or InviteServerState.Accepted ? _lastResponse : null;
        }

        if (bytes is not null)
        {
            Send(bytes);
        }
    }

    /// <summary>
    /// The ACK for a non-2xx (same branch): Completed → Confirmed, Timer I (T4 on UDP, 0 on TCP). Retransmitted ACKs
    /// are absorbed. Returns true when the ACK was for this transaction's non-2xx.
    /// </summary>
    public bool OnNon2xxAck()
    {
        lock (_gate)
        {
            if (State == InviteServerState.Confirmed)
            {
                return true;
            }

            if (State != InviteServerState.Completed)
            {
                return false;
            }

            State = InviteServerState.Confirmed;
            _retransmit?.Dispose();
            _retransmit = null;
            _end?.Dispose();
            _end = Flow.IsReliable ? null : _time.CreateTimer(_ => Terminate(noAck: false), null, _timers.T4, Timeout.InfiniteTimeSpan);
        }

        if (Flow.IsReliable)
        {
            Terminate(noAck: false);
        }

        return true;
    }

    /// <summary>The ACK for our 2xx reached the dialog: stop retransmitting; Timer L still absorbs INVITE copies.</summary>
    public void On2xxAcked()
    {
        lock (_gate)
        {
            _retransmit?.Dispose();
            _retransmit = null;
            AckedAfter2xx = true;
        }
    }

    /// <summary>True once the 2xx was acknowledged.</summary>
    public bool AckedAfter2xx { get; private set; }

    private void Retransmit()
    {
        byte[]? bytes;
        lock (_gate)
        {
            if (_retransmit is null || _lastResponse is null || State is not (InviteServerState.Completed or InviteServerState.Accepted))
            {
                return;
            }

            bytes = _lastResponse;
            // Timer G doubles up to T2 (§17.2.1); so does the 2xx retransmission (§13.3.1.4).
            _interval = _interval * 2 > _timers.T2 ? _timers.T2 : _interval * 2;
            _retransmit.Change(_interval, Timeout.InfiniteTimeSpan);
        }

        Send(bytes);
    }

    private void Terminate(bool noAck)
    {
        bool unacknowledged;
        lock (_gate)
        {
            if (State == InviteServerState.Terminated)
            {
                return;
            }

            unacknowledged = noAck && (State == InviteServerState.Completed || (State == InviteServerState.Accepted && !AckedAfter2xx));
            State = InviteServerState.Terminated;
            _retransmit?.Dispose();
            _end?.Dispose();
        }

        Terminated?.Invoke(this, unacknowledged);
    }

    /// <summary>Ends the transaction at once (the table is being cleared, or the TU gave up before a final response).</summary>
    internal void Abort() => Terminate(noAck: false);

    private void Send(byte[] bytes) => _ = _sender.SendAsync(Flow, Destination, bytes, CancellationToken.None).AsTask();
}
