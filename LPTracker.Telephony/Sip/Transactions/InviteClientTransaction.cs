using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>INVITE client transaction states (RFC 3261 §17.1.1 as updated by RFC 6026 §7.2).</summary>
public enum InviteClientState
{
    /// <summary>INVITE sent; retransmitted on Timer A (UDP) until a response or Timer B.</summary>
    Calling,

    /// <summary>A provisional response arrived.</summary>
    Proceeding,

    /// <summary>A 3xx–6xx arrived and was ACKed; retransmissions of it are ACKed again until Timer D.</summary>
    Completed,

    /// <summary>A 2xx arrived (RFC 6026): further 2xx (retransmissions, other forks) still reach the TU until Timer M.</summary>
    Accepted,

    /// <summary>Over.</summary>
    Terminated,
}

/// <summary>
/// One INVITE client transaction. Responses that the TU must see are handed to <see cref="OnTuResponse"/>; a null
/// response means Timer B fired (the TU treats it as 408); a transport failure arrives as a 503 of our own. The ACK for a non-2xx is built
/// here, hop-by-hop, with the INVITE's branch (§17.1.1.3); the ACK for a 2xx is the TU's (a new transaction).
/// </summary>
public sealed class InviteClientTransaction
{
    private readonly Lock _gate = new();
    private readonly ISipSender _sender;
    private readonly TimeProvider _time;
    private readonly SipTimers _timers;
    private readonly byte[] _bytes;
    private byte[]? _ack;
    private ITimer? _timerA;
    private ITimer? _end;
    private TimeSpan _interval;

    internal InviteClientTransaction(SipRequest invite, SipFlow flow, IPEndPoint destination, ISipSender sender, TimeProvider time,
        SipTimers timers, Action<InviteClientTransaction, SipResponse?> onTuResponse)
    {
        Request = invite;
        Branch = invite.TopVia?.Branch ?? throw new ArgumentException("The INVITE needs a Via branch.", nameof(invite));
        Flow = flow;
        Destination = destination;
        _sender = sender;
        _time = time;
        _timers = timers;
        OnTuResponse = onTuResponse;
        _bytes = SipMessageWriter.ToBytes(invite);
    }

    /// <summary>The INVITE sent.</summary>
    public SipRequest Request { get; }

    /// <summary>The Via branch: the transaction id.</summary>
    public string Branch { get; }

    /// <summary>The flow the INVITE goes out on.</summary>
    public SipFlow Flow { get; }

    /// <summary>The next hop.</summary>
    public IPEndPoint Destination { get; }

    /// <summary>The current state.</summary>
    public InviteClientState State { get; private set; }

    /// <summary>True once any provisional response arrived: only then may a CANCEL be sent (RFC 3261 §9.1).</summary>
    public bool HasProvisional { get; private set; }

    internal Action<InviteClientTransaction, SipResponse?> OnTuResponse { get; }

    /// <summary>Raised once when the transaction terminates.</summary>
    internal event Action<InviteClientTransaction>? Terminated;

    /// <summary>Sends the INVITE and starts Timer A (UDP only) and Timer B (Timer C's guard once a provisional came).</summary>
    internal void Start()
    {
        lock (_gate)
        {
            _interval = _timers.T1;
            if (!Flow.IsReliable)
            {
                _timerA = _time.CreateTimer(_ => RetransmitInvite(), null, _interval, Timeout.InfiniteTimeSpan);
            }

            _end = _time.CreateTimer(_ => TimerB(), null, _timers.T1 * 64, Timeout.InfiniteTimeSpan);
        }

        SendOrFail(_bytes);
    }

    /// <summary>A response whose branch matched. Decides what the TU sees.</summary>
    internal void OnResponse(SipResponse response)
    {
        var status = response.StatusCode;
        byte[]? ackToSend = null;
        var deliver = false;
        var terminateNow = false;
        lock (_gate)
        {
            switch (State)
            {
                case InviteClientState.Calling or InviteClientState.Proceeding when status < 200:
                    if (State == InviteClientState.Calling)
                    {
                        // Timer B only bounds Calling (§17.1.1.2): a phone that rings may ring as long as the TU lets it.
                        _end?.Change(_timers.TimerC, Timeout.InfiniteTimeSpan);
                    }

                    State = InviteClientState.Proceeding;
                    HasProvisional = true;
                    StopTimerA();
                    deliver = true;
                    break;
                case InviteClientState.Calling or InviteClientState.Proceeding when status < 300:
                    State = InviteClientState.Accepted;
                    StopTimerA();
                    _end?.Dispose();
                    _end = _time.CreateTimer(_ => Terminate(), null, _timers.T1 * 64, Timeout.InfiniteTimeSpan); // Timer M
                    deliver = true;
                    break;
                case InviteClientState.Calling or InviteClientState.Proceeding:
                    State = InviteClientState.Completed;
                    StopTimerA();
                    _ack = SipMessageWriter.ToBytes(BuildNon2xxAck(response));
                    ackToSend = _ack;
                    _end?.Dispose();
                    terminateNow = Flow.IsReliable;
                    _end = terminateNow ? null : _time.CreateTimer(_ => Terminate(), null, _timers.TimerD, Timeout.InfiniteTimeSpan);
                    deliver = true;
                    break;
                case InviteClientState.Completed when status >= 300:
                    ackToSend = _ack;
                    break;
                case InviteClientState.Accepted when status is >= 200 and < 300:
                    deliver = true;
                    break;
            }
        }

        if (ackToSend is not null)
        {
            Send(ackToSend);
        }

        if (deliver)
        {
            OnTuResponse(this, response);
        }

        if (terminateNow)
        {
            Terminate();
        }
    }

    /// <summary>The ACK for a non-2xx (§17.1.1.3): the INVITE's Request-URI, top Via, From, Call-ID and Route, the
    /// response's To (with its tag), CSeq number with method ACK.</summary>
    private SipRequest BuildNon2xxAck(SipResponse response)
    {
        var ack = new SipRequest(SipMethods.Ack, Request.RequestUri);
        ack.AddHeader(SipHeaderNames.Via, Request.GetHeader(SipHeaderNames.Via)!);
        ack.AddHeader(SipHeaderNames.MaxForwards, "70");
        ack.AddHeader(SipHeaderNames.From, Request.GetHeader(SipHeaderNames.From)!);
        ack.AddHeader(SipHeaderNames.To, response.GetHeader(SipHeaderNames.To) ?? Request.GetHeader(SipHeaderNames.To)!);
        ack.AddHeader(SipHeaderNames.CallId, Request.CallId!);
        ack.AddHeader(SipHeaderNames.CSeq, $"{Request.ParseCSeq()!.Value.Number} ACK");
        foreach (var route in Request.GetHeaderValues(SipHeaderNames.Route))
        {
            ack.AddHeader(SipHeaderNames.Route, route);
        }

        return ack;
    }

    private void RetransmitInvite()
    {
        lock (_gate)
        {
            if (State != InviteClientState.Calling || _timerA is null)
            {
                return;
            }

            // Timer A doubles without a cap; Timer B ends it (§17.1.1.2).
            _interval *= 2;
            _timerA.Change(_interval, Timeout.InfiniteTimeSpan);
        }

        Send(_bytes);
    }

    private void TimerB()
    {
        bool timedOut;
        lock (_gate)
        {
            timedOut = State is InviteClientState.Calling or InviteClientState.Proceeding;
        }

        if (timedOut)
        {
            OnTuResponse(this, null);
        }

        Terminate();
    }

    /// <summary>Ends the transaction without telling the TU.</summary>
    internal void Terminate()
    {
        lock (_gate)
        {
            if (State == InviteClientState.Terminated)
            {
                return;
            }

            State = InviteClientState.Terminated;
            StopTimerA();
            _end?.Dispose();
        }

        Terminated?.Invoke(this);
    }

    private void StopTimerA()
    {
        _timerA?.Dispose();
        _timerA = null;
    }

    private void SendOrFail(byte[] bytes) => _ = SendOrFailAsync(bytes);

    private async Task SendOrFailAsync(byte[] bytes)
    {
        bool sent;
        try
        {
            sent = await _sender.SendAsync(Flow, Destination, bytes, CancellationToken.None).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException)
        {
            sent = false;
        }

        if (!sent && State == InviteClientState.Calling)
        {
            // A refused connection can fail synchronously, inside StartClient: the TU must first learn which
            // transaction it started before it hears that this one failed.
            await Task.Yield();
            // A transport error is a 503 to the TU (§17.1.4).
            OnTuResponse(this, SipResponseFactory.Create(Request, 503, "Service Unavailable"));
            Terminate();
        }
    }

    private void Send(byte[] bytes) => _ = _sender.SendAsync(Flow, Destination, bytes, CancellationToken.None).AsTask();
}
