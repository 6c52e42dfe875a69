using LPTracker.Core.Calls;
using LPTracker.Telephony.Calls.Dialogs;
using LPTracker.Telephony.Calls.RingPlans;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>Where a call is in its life.</summary>
internal enum CallPhase
{
    /// <summary>Legs are ringing (for click-to-call: the employee, then the client).</summary>
    Ringing,

    /// <summary>Both sides are connected.</summary>
    Answered,

    /// <summary>Over.</summary>
    Ended,
}

/// <summary>What a call needs to know at its start.</summary>
internal sealed record CallSetup(int AccountId, int? ProjectId, CallDirection Direction, string? ClientNumber, string? DialledNumber,
    int? InitiatorEmployeeId, int RingTimeoutSeconds);

/// <summary>
/// One call through the B2BUA. Side A is the caller (a UAS dialog for trunk and phone calls; for click-to-call the
/// employee's answered leg), side B the leg that answered. Only one leg can ever win: the first 2xx; every other
/// fork gets CANCEL, or ACK + BYE when its 2xx comes anyway, so the caller sees exactly one answer. Every event of
/// the call (requests, responses, timers) runs under one lock, so the state below needs no other synchronisation
/// and call events leave in order.
/// </summary>
internal sealed partial class B2buaCall
{
    private readonly Lock _gate = new();
    private readonly CallEnvironment _env;
    private readonly CallTable _table;
    private readonly Func<Leg, RingDevice, CallerIdentity> _callerIdFor;
    private readonly Queue<RingStep> _steps;
    private readonly List<Leg> _legs = [];
    private readonly List<Leg> _allLegs = [];
    private readonly InviteServerTransaction? _aTransaction;
    private readonly string _aTag = SipResponseFactory.NewTag();
    private ITimer? _stepTimer;
    private ITimer? _maxDuration;
    private Fork? _winner;
    private CallSide? _a;
    private CallSide? _b;
    private bool _started;

    public B2buaCall(CallEnvironment env, CallTable table, CallSetup setup, InviteServerTransaction? aTransaction,
        IEnumerable<RingStep> steps, Func<Leg, RingDevice, CallerIdentity> callerIdFor)
    {
        _env = env;
        _table = table;
        Setup = setup;
        _aTransaction = aTransaction;
        _steps = new Queue<RingStep>(steps);
        _callerIdFor = callerIdFor;
        if (aTransaction is not null)
        {
            aTransaction.Owner = this;
            aTransaction.Terminated += OnATransactionTerminated;
        }
    }

    public Guid Id { get; } = Guid.NewGuid();

    public CallSetup Setup { get; }

    public CallPhase Phase { get; private set; }

    /// <summary>True when <paramref name="transaction"/> is the INVITE that started this call.</summary>
    public bool IsInitial(InviteServerTransaction transaction) => transaction == _aTransaction;

    /// <summary>The caller's INVITE (null for click-to-call).</summary>
    private SipRequest? AInvite => _aTransaction?.Request;

    /// <summary>Reports the start and rings the first step; a call with nothing to ring ends at once (480).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (Phase == CallPhase.Ended || _aTransaction is { State: not InviteServerState.Proceeding })
            {
                // The caller's CANCEL came while the ring plan was read: it has its 200 and 487, and nothing rings.
                Phase = CallPhase.Ended;
                _table.Remove(this);
                return;
            }

            _started = true;
            _env.Report(e => e.CallStarted(new CallStartedEvent(Id, Setup.AccountId, Setup.ProjectId, Setup.Direction,
                Setup.ClientNumber, Setup.DialledNumber, Setup.InitiatorEmployeeId, _env.UtcNow)));
            _maxDuration = _env.Time.CreateTimer(_ => HangUpEverything(), null, _env.Options.MaxCallDuration, Timeout.InfiniteTimeSpan);
            NextStep();
        }
    }

    /// <summary>CANCEL from the caller (RFC 3261 §9.2): 487 to the INVITE, every fork cancelled.</summary>
    public void OnCallerCancel()
    {
        lock (_gate)
        {
            if (Phase != CallPhase.Ringing)
            {
                return;
            }

            RespondToCaller(487, "Request Terminated");
            if (!_started)
            {
                // Cancelled between being handed the INVITE and starting: nothing was reported or rung.
                Phase = CallPhase.Ended;
                _table.Remove(this);
                return;
            }

            EndRinging(CallOutcome.CallerHungUp, legOutcome: CallOutcome.CallerHungUp);
        }
    }

    /// <summary>Rings the next step, or gives the caller the final answer when none is left.</summary>
    private void NextStep()
    {
        _stepTimer?.Dispose();
        _legs.Clear();
        while (_steps.TryDequeue(out var step))
        {
            foreach (var plan in step.Legs)
            {
                StartLeg(plan);
            }

            if (_legs.Any(l => !l.Ended))
            {
                _stepTimer = _env.Time.CreateTimer(_ => StepTimedOut(), null, TimeSpan.FromSeconds(Setup.RingTimeoutSeconds),
                    Timeout.InfiniteTimeSpan);
                return;
            }
        }

        // Nobody left: all busy → 486, otherwise 480 (nobody working, no answer, unavailable).
        var allBusy = _allLegs.Count > 0 && _allLegs.All(l => l.Outcome is CallOutcome.Busy or CallOutcome.Declined);
        var outcome = _allLegs.Count == 0 ? CallOutcome.NobodyWorking : allBusy ? CallOutcome.Busy : CallOutcome.NoAnswer;
        if (!allBusy && Setup.Direction == CallDirection.Outbound && CarrierVerdict() is { } verdict)
        {
            OnNobodyAnswered(verdict.Status, verdict.Reason, verdict.Status == 408 ? CallOutcome.NoAnswer : CallOutcome.Failed);
            return;
        }

        OnNobodyAnswered(allBusy ? 486 : 480, allBusy ? "Busy Here" : "Temporarily Unavailable", outcome);
    }

    /// <summary>A call out gets the carrier's own final answer (404 for a number that does not exist, 503 when the
    /// trunk cannot be reached, 408 when it never answered), except its challenge, which is ours to answer.</summary>
    private (int Status, string Reason)? CarrierVerdict() =>
        _allLegs.SelectMany(l => l.Forks).LastOrDefault(f => f.Status >= 300) is not { } failed ? null
        : failed.Status is 401 or 407 ? (503, "Service Unavailable")
        : (failed.Status, failed.Reason ?? (failed.Status == 408 ? "Request Timeout" : "Temporarily Unavailable"));

    private void StepTimedOut()
    {
        lock (_gate)
        {
            if (Phase != CallPhase.Ringing)
            {
                return;
            }

            // Our own timer decides: a phone that repeats 180 does not extend its turn.
            foreach (var leg in _legs.Where(l => !l.Ended))
            {
                CancelLeg(leg, CallOutcome.NoAnswer);
            }

            NextStep();
        }
    }

    /// <summary>Ends a ringing call with a final non-2xx to the caller (or a BYE to the employee for click-to-call).</summary>
    private void OnNobodyAnswered(int status, string reason, CallOutcome outcome)
    {
        if (_aTransaction is not null)
        {
            RespondToCaller(status, reason);
        }
        else if (_a is not null)
        {
            SendBye(_a);
        }

        EndRinging(outcome, legOutcome: CallOutcome.NoAnswer);
    }

    private void RespondToCaller(int status, string reason)
    {
        if (_aTransaction is { State: InviteServerState.Proceeding } t)
        {
            var response = SipResponseFactory.Create(t.Request, status, reason);
            SetToTag(response);
            t.Respond(response);
        }
    }

    /// <summary>Cancels what still rings and ends the call without an answer.</summary>
    private void EndRinging(CallOutcome callOutcome, CallOutcome legOutcome)
    {
        foreach (var leg in _allLegs.Where(l => !l.Ended && !l.Answered))
        {
            CancelLeg(leg, legOutcome);
        }

        Finish(callOutcome, answeredBy: null);
    }

    /// <summary>Reports the end and forgets the call. Forks still finishing (late 2xx) keep a reference and are
    /// answered with ACK + BYE when they come.</summary>
    private void Finish(CallOutcome outcome, int? answeredBy)
    {
        if (Phase == CallPhase.Ended)
        {
            return;
        }

        Phase = CallPhase.Ended;
        _stepTimer?.Dispose();
        _maxDuration?.Dispose();
        foreach (var leg in _allLegs.Where(l => !l.Ended))
        {
            EndLeg(leg, leg.Answered ? CallOutcome.Answered : outcome);
        }

        _env.Report(e => e.CallEnded(new CallEndedEvent(Id, Setup.AccountId, outcome, answeredBy, _env.UtcNow)));
        _table.Remove(this);
    }

    private void EndLeg(Leg leg, CallOutcome outcome)
    {
        if (leg.Ended)
        {
            return;
        }

        leg.Ended = true;
        leg.Outcome = outcome;
        if (leg.Reportable)
        {
            _env.Report(e => e.LegEnded(new CallLegEndedEvent(Id, leg.Id, Setup.AccountId, leg.EmployeeId, outcome, _env.UtcNow)));
        }
    }

    /// <summary>Timer H / L: the caller never acknowledged our answer, so the call cannot exist (§13.3.1.4).</summary>
    private void OnATransactionTerminated(InviteServerTransaction transaction, bool noAck)
    {
        if (!noAck)
        {
            return;
        }

        lock (_gate)
        {
            if (Phase == CallPhase.Answered && _b is not null)
            {
                _env.Logger.LogInformation("Call {CallId}: the caller never ACKed the 200; hanging up", Id);
                SendBye(_b);
                Finish(CallOutcome.Answered, _winner?.Leg.Reportable == true ? _winner.Leg.EmployeeId : Setup.InitiatorEmployeeId);
            }
        }
    }

    /// <summary>Sip:MaxCallDuration passed (a lost BYE must not hold a call-table slot forever).</summary>
    private void HangUpEverything()
    {
        lock (_gate)
        {
            if (Phase == CallPhase.Answered)
            {
                SendBye(_a!);
                SendBye(_b!);
                Finish(CallOutcome.Answered, AnsweredBy());
            }
            else if (Phase == CallPhase.Ringing)
            {
                OnNobodyAnswered(480, "Temporarily Unavailable", CallOutcome.NoAnswer);
            }
        }
    }

    private int? AnsweredBy() => _winner?.Leg.Reportable == true ? _winner.Leg.EmployeeId : Setup.InitiatorEmployeeId;

    private void SetToTag(SipResponse response)
    {
        if (response.GetHeader(SipHeaderNames.To) is { } to && !to.Contains(";tag=", StringComparison.OrdinalIgnoreCase))
        {
            response.RemoveHeader(SipHeaderNames.To);
            response.AddHeader(SipHeaderNames.To, $"{to};tag={_aTag}");
        }
        else if (response.GetHeader(SipHeaderNames.To) is { } tagged && AInvite?.ParseTo()?.Tag is null)
        {
            // SipResponseFactory invented a tag; the caller must see one tag for the whole call.
            response.RemoveHeader(SipHeaderNames.To);
            response.AddHeader(SipHeaderNames.To, $"{SipDialog.StripTag(tagged)};tag={_aTag}");
        }
    }
}
