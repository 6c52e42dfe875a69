using System.Runtime.CompilerServices;
using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Telephony.Calls.RingPlans;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>The confirmed call: ACK, BYE, re-INVITE and UPDATE relayed between the two dialogs, 491 on glare; and
/// the RFC 3725 click-to-call join.</summary>
internal sealed partial class B2buaCall
{
    /// <summary>A re-INVITE or UPDATE is being relayed: a second one from either side meets 491 (RFC 3261 §14.2).</summary>
    private bool _relayPending;

    /// <summary>The ACK for a 2xx on one side; when the other side still owes its ACK (delayed offer), it now gets
    /// one carrying this ACK's SDP.</summary>
    public void OnAck(SipRequest ack, string dialogKey)
    {
        lock (_gate)
        {
            if (SideOf(dialogKey) is not { } side)
            {
                return;
            }

            if (side.AwaitingAck is { } t)
            {
                t.On2xxAcked();
                side.AwaitingAck = null;
            }

            if (Other(side) is { OwedAckCSeq: { } cseq } other)
            {
                SendAck(other, cseq, ack);
            }
        }
    }

    /// <summary>BYE from one side: 200, BYE to the other, the call ends.</summary>
    public SipResponse OnBye(SipRequest bye, string dialogKey)
    {
        lock (_gate)
        {
            if (SideOf(dialogKey) is not { } side)
            {
                return SipResponseFactory.Create(bye, 481, "Call/Transaction Does Not Exist");
            }

            if (!side.Dialog.AcceptRemoteCSeq(bye))
            {
                return SipResponseFactory.Create(bye, 500, "CSeq Out of Order");
            }

            side.OwedAckCSeq = null;
            if (Phase == CallPhase.Answered && Other(side) is { } other)
            {
                SendBye(other);
                Finish(CallOutcome.Answered, AnsweredBy());
            }
            else if (Phase == CallPhase.Ringing)
            {
                // Click-to-call: the employee hung up while the client's phone rang.
                EndRinging(CallOutcome.CallerHungUp, CallOutcome.CallerHungUp);
            }

            return SipResponseFactory.Create(bye, 200, "OK");
        }
    }

    /// <summary>A re-INVITE from one side is relayed to the other as a new INVITE in that dialog.</summary>
    public void OnReInvite(InviteServerTransaction transaction, string dialogKey)
    {
        lock (_gate)
        {
            var request = transaction.Request;
            if (SideOf(dialogKey) is not { } side)
            {
                transaction.Respond(SipResponseFactory.Create(request, 481, "Call/Transaction Does Not Exist"));
                return;
            }

            if (!side.Dialog.AcceptRemoteCSeq(request))
            {
                transaction.Respond(SipResponseFactory.Create(request, 500, "CSeq Out of Order"));
                return;
            }

            if (Phase != CallPhase.Answered || _relayPending || side.AwaitingAck is not null || Other(side) is not { } other)
            {
                transaction.Respond(SipResponseFactory.Create(request, 491, "Request Pending"));
                return;
            }

            _relayPending = true;
            transaction.Owner = this;
            transaction.Respond(SipResponseFactory.Create(request, 100, "Trying"));
            side.Dialog.RefreshTarget(request);
            var relay = other.Dialog.CreateRequest(SipMethods.Invite, _env.Contact(other.Dialog.Flow), _env.SentBy(other.Dialog.Flow));
            CopyBody(request, relay);
            var answered = new StrongBox<bool>();
            _env.Invites.StartClient(relay, other.Dialog.Flow, other.Dialog.Destination, (_, response) =>
            {
                lock (_gate)
                {
                    OnRelayedInviteResponse(transaction, side, other, relay, response, answered);
                }
            });
        }
    }

    private void OnRelayedInviteResponse(InviteServerTransaction transaction, CallSide side, CallSide other, SipRequest relay,
        SipResponse? response, StrongBox<bool> answered)
    {
        var status = response?.StatusCode ?? 408;
        if (status < 200)
        {
            return;
        }

        var cseq = relay.ParseCSeq()!.Value.Number;
        if (answered.Value)
        {
            // A retransmitted 2xx of the relayed re-INVITE: the ACK went missing.
            if (other.LastAck is { } ack && status < 300)
            {
                _env.SendRaw(other.Dialog.Flow, other.Dialog.Destination, ack);
            }

            return;
        }

        answered.Value = true;
        _relayPending = false;
        var answer = SipResponseFactory.Create(transaction.Request, status, response?.ReasonPhrase ?? "Request Timeout");
        if (status < 300)
        {
            other.Dialog.RefreshTarget(response!);
            answer.AddHeader(SipHeaderNames.Contact, _env.Contact(transaction.Flow));
            CopyBody(response!, answer);
            if (relay.Body.IsEmpty)
            {
                other.OwedAckCSeq = cseq;
            }
            else
            {
                SendAck(other, cseq, body: null);
            }

            side.AwaitingAck = transaction;
        }

        transaction.Respond(answer);
    }

    /// <summary>UPDATE (RFC 3311) from one side, relayed to the other; its answer comes back.</summary>
    public async Task<SipResponse> OnUpdateAsync(SipRequest update, string dialogKey)
    {
        CallSide other;
        SipRequest relay;
        lock (_gate)
        {
            if (SideOf(dialogKey) is not { } side)
            {
                return SipResponseFactory.Create(update, 481, "Call/Transaction Does Not Exist");
            }

            if (!side.Dialog.AcceptRemoteCSeq(update))
            {
                return SipResponseFactory.Create(update, 500, "CSeq Out of Order");
            }

            if (Phase != CallPhase.Answered || _relayPending || Other(side) is not { } o)
            {
                return SipResponseFactory.Create(update, 491, "Request Pending");
            }

            other = o;
            _relayPending = true;
            side.Dialog.RefreshTarget(update);
            relay = other.Dialog.CreateRequest(SipMethods.Update, _env.Contact(other.Dialog.Flow), _env.SentBy(other.Dialog.Flow));
            CopyBody(update, relay);
        }

        var response = await _env.Requests.SendAsync(relay, other.Dialog.Flow, other.Dialog.Destination, CancellationToken.None)
            .ConfigureAwait(false);
        lock (_gate)
        {
            _relayPending = false;
            var answer = SipResponseFactory.Create(update, response?.StatusCode ?? 408, response?.ReasonPhrase ?? "Request Timeout");
            if (response is { StatusCode: >= 200 and < 300 })
            {
                other.Dialog.RefreshTarget(response);
                answer.AddHeader(SipHeaderNames.Contact, _env.Contact(other.Dialog.Flow));
                CopyBody(response, answer);
            }

            return answer;
        }
    }

    /// <summary>Click-to-call (decision 0017): the employee answered our offerless INVITE with an offer. They get their
    /// ACK at once, with that offer made inactive as the answer (no Timer H/L on their 200 however long the client
    /// rings); the client is then called with the offer and the project's number as caller ID.</summary>
    private void OnEmployeeAnsweredClickToCall(Fork fork, SipResponse response)
    {
        _stepTimer?.Dispose();
        CancelOtherForks(fork);
        _a = new CallSide(fork.Dialog!);
        _table.AddDialog(_a.Dialog.Key, this);
        ReportAnswered(fork.Leg);
        if (response.Body.IsEmpty || Setup.ClientNumber is not { } client)
        {
            OnNobodyAnswered(0, "", CallOutcome.Failed);
            return;
        }

        var hold = new SipResponse(200, "OK") { Body = InactiveAnswer.For(response.Body) };
        hold.AddHeader(SipHeaderNames.ContentType, response.GetHeader(SipHeaderNames.ContentType) ?? "application/sdp");
        SendAck(_a, fork.Invite.ParseCSeq()!.Value.Number, hold);
        fork.Ack = _a.LastAck;
        _offer = response.Body;
        _offerType = response.GetHeader(SipHeaderNames.ContentType);
        var clientLeg = new RingLeg(new RingEmployee(0, CallReceivingMethod.Mobile, null, client, null, false), [new RingDevice(null, client)]);
        _steps.Enqueue(new RingStep([clientLeg]));
        NextStep();
    }

    /// <summary>The client answered with the SDP answer: ACK them, then a re-INVITE without SDP to the employee, whose
    /// 200 brings a fresh offer that is ACKed with the client's answer (RFC 3725 §5, flow IV's second half).</summary>
    private void ConnectClickToCall(Fork fork, SipResponse response, CallSide b)
    {
        SendAck(b, fork.Invite.ParseCSeq()!.Value.Number, body: null);
        fork.Ack = b.LastAck;
        Phase = CallPhase.Answered;
        _table.AddDialog(b.Dialog.Key, this);
        var a = _a!;
        _relayPending = true;
        var reInvite = a.Dialog.CreateRequest(SipMethods.Invite, _env.Contact(a.Dialog.Flow), _env.SentBy(a.Dialog.Flow));
        var cseq = reInvite.ParseCSeq()!.Value.Number;
        var acked = false;
        _env.Invites.StartClient(reInvite, a.Dialog.Flow, a.Dialog.Destination, (_, reply) =>
        {
            lock (_gate)
            {
                if (reply is { StatusCode: < 200 })
                {
                    return;
                }

                if (acked)
                {
                    // A retransmitted 2xx: the ACK went missing.
                    if (reply is { StatusCode: < 300 } && a.LastAck is { } again)
                    {
                        _env.SendRaw(a.Dialog.Flow, a.Dialog.Destination, again);
                    }

                    return;
                }

                acked = true;
                _relayPending = false;
                if (reply is { StatusCode: < 300 })
                {
                    a.Dialog.RefreshTarget(reply);
                    SendAck(a, cseq, response);
                }
                else if (Phase == CallPhase.Answered)
                {
                    // The employee's phone refused to take the media: the two cannot talk.
                    _env.Logger.LogInformation("Call {CallId}: click-to-call re-INVITE got {Status}; hanging up", Id, reply?.StatusCode ?? 408);
                    SendBye(a);
                    SendBye(b);
                    Finish(CallOutcome.Answered, AnsweredBy());
                }
            }
        });
    }

    private void SendAck(CallSide side, uint inviteCSeq, SipMessage? body)
    {
        var ack = side.Dialog.CreateAck(inviteCSeq, _env.Contact(side.Dialog.Flow), _env.SentBy(side.Dialog.Flow));
        if (body is not null)
        {
            CopyBody(body, ack);
        }

        side.OwedAckCSeq = null;
        side.LastAck = ack;
        _env.SendRaw(side.Dialog.Flow, side.Dialog.Destination, ack);
    }

    private void SendBye(CallSide side)
    {
        if (side.OwedAckCSeq is { } owed)
        {
            // A dialog is only confirmed by its ACK; without one the BYE would be refused (§15).
            SendAck(side, owed, body: null);
        }

        var bye = side.Dialog.CreateRequest(SipMethods.Bye, _env.Contact(side.Dialog.Flow), _env.SentBy(side.Dialog.Flow));
        _ = _env.Requests.SendAsync(bye, side.Dialog.Flow, side.Dialog.Destination, CancellationToken.None);
    }

    private CallSide? SideOf(string dialogKey) =>
        _a?.Dialog.Key == dialogKey ? _a : _b?.Dialog.Key == dialogKey ? _b : null;

    private CallSide? Other(CallSide side) => side == _a ? _b : _a;

    /// <summary>The dialog keys the call table indexes, for removal.</summary>
    public IEnumerable<string> DialogKeys()
    {
        if (_a is not null)
        {
            yield return _a.Dialog.Key;
        }

        if (_b is not null)
        {
            yield return _b.Dialog.Key;
        }
    }
}
