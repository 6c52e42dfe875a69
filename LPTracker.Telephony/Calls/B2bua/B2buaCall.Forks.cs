using System.Globalization;
using LPTracker.Core.Calls;
using LPTracker.Telephony.Calls.Dialogs;
using LPTracker.Telephony.Calls.RingPlans;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>The legs and forks of a call: INVITEs out, their responses, CANCEL, the winner.</summary>
internal sealed partial class B2buaCall
{
    /// <summary>The SDP offer the forks carry (the caller's, or for click-to-call the employee's 200).</summary>
    private ReadOnlyMemory<byte> _offer;
    private string? _offerType;

    private void StartLeg(RingLeg plan)
    {
        // The client's leg (outbound, click-to-call) has no employee of its own: it is reported under the caller.
        var outgoing = plan.Employee.EmployeeId == 0;
        var leg = new Leg(plan, outgoing ? Setup.InitiatorEmployeeId : plan.Employee.EmployeeId, outgoing);
        _legs.Add(leg);
        _allLegs.Add(leg);
        if (_offer.IsEmpty && AInvite is { } invite)
        {
            _offer = invite.Body;
            _offerType = invite.GetHeader(SipHeaderNames.ContentType);
        }

        foreach (var device in plan.Devices)
        {
            if (BuildFork(leg, device) is { } fork)
            {
                leg.Forks.Add(fork);
            }
        }

        if (leg.Forks.Count == 0)
        {
            EndLeg(leg, CallOutcome.Failed);
            return;
        }

        foreach (var fork in leg.Forks.ToList())
        {
            fork.Transaction = _env.Invites.StartClient(fork.Invite, fork.Flow, fork.Destination, (t, r) => OnForkResponse(fork, t, r));
        }
    }

    private Fork? BuildFork(Leg leg, RingDevice device)
    {
        var caller = _callerIdFor(leg, device);
        SipFlow? flow;
        System.Net.IPEndPoint destination;
        string requestUri;
        string to;
        string host;
        if (device.Binding is { HeldBy: { } node } held)
        {
            // Another node holds the phone's flow: the INVITE goes to that node, which relays it to the phone.
            flow = _env.NodeFlow(node.SipAddress);
            destination = node.SipAddress;
            requestUri = $"sip:{held.UserName}@{node.SipAddress}";
            host = _env.Options.Domain;
            to = $"<sip:{held.UserName}@{host}>";
        }
        else if (device.Binding is { } binding)
        {
            flow = binding.Flow;
            destination = binding.RemoteEndPoint;
            requestUri = binding.ContactUri;
            host = _env.Options.Domain;
            to = $"<sip:{binding.UserName}@{host}>";
        }
        else
        {
            var trunk = _env.Trunks.Outbound;
            flow = trunk is null ? null : _env.TrunkFlow(trunk, _aTransaction?.Flow);
            if (trunk is null || flow is null)
            {
                return null;
            }

            destination = trunk.EndPoint;
            host = trunk.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{trunk.EndPoint.Address}]:{trunk.EndPoint.Port}"
                : trunk.EndPoint.ToString();
            requestUri = $"sip:{device.CarrierNumber}@{host}";
            to = $"<{requestUri}>";
        }

        if (flow is null)
        {
            return null;
        }

        var fork = BuildInvite(leg, device, caller, flow, destination, requestUri, to);
        if (device.Binding is { HeldBy: not null } remote && _env.Cluster is { } cluster)
        {
            fork.Invite.AddHeader(Cluster.NodeLegSigner.HeaderName,
                cluster.Legs.Sign(new Cluster.NodeLeg(remote.UserName, remote.ContactKey, fork.Invite.CallId!)));
        }

        return fork;
    }

    private Fork BuildInvite(Leg leg, RingDevice device, CallerIdentity caller, SipFlow flow, System.Net.IPEndPoint destination,
        string requestUri, string to)
    {
        var invite = new SipRequest(SipMethods.Invite, requestUri);
        invite.AddHeader(SipHeaderNames.Via, $"SIP/2.0/{flow.ViaTransport} {_env.SentBy(flow)};branch={_env.NewBranch()};rport");
        invite.AddHeader(SipHeaderNames.MaxForwards, MaxForwardsOut());
        var identity = caller.User is { } user ? $"<sip:{user}@{_env.Options.Domain}>" : "<sip:anonymous@anonymous.invalid>";
        var display = caller.User is null ? "\"Anonymous\" " : caller.DisplayName is { } d ? $"\"{d.Replace("\"", "", StringComparison.Ordinal)}\" " : "";
        invite.AddHeader(SipHeaderNames.From, $"{display}{identity};tag={SipResponseFactory.NewTag()}");
        invite.AddHeader(SipHeaderNames.To, to);
        invite.AddHeader(SipHeaderNames.CallId, $"{SipResponseFactory.NewTag()}{SipResponseFactory.NewTag()}@{_env.SentBy(flow)}");
        invite.AddHeader(SipHeaderNames.CSeq, "1 INVITE");
        invite.AddHeader(SipHeaderNames.Contact, _env.Contact(flow));
        if (caller.User is not null)
        {
            // The identity the employee's phone shows; the carrier's own PAI/RPID/Diversion never reach it (new request).
            invite.AddHeader("P-Asserted-Identity", identity);
        }
        else
        {
            invite.AddHeader("Privacy", "id");
        }

        invite.AddHeader(SipHeaderNames.Allow, CallRouter.Allow);
        if (!_offer.IsEmpty)
        {
            invite.AddHeader(SipHeaderNames.ContentType, _offerType ?? "application/sdp");
            invite.Body = _offer;
        }

        return new Fork(leg, device, invite, flow, destination);
    }

    /// <summary>Max-Forwards of our INVITEs: the caller's minus one, so two PBXs sending a call to each other stop.</summary>
    private string MaxForwardsOut() =>
        AInvite?.GetHeader(SipHeaderNames.MaxForwards) is { } mf && int.TryParse(mf, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? Math.Max(0, n - 1).ToString(CultureInfo.InvariantCulture)
            : "70";

    private void OnForkResponse(Fork fork, InviteClientTransaction transaction, SipResponse? response)
    {
        lock (_gate)
        {
            if (transaction != fork.Transaction)
            {
                return;
            }

            var status = response?.StatusCode ?? 408;
            if (status < 200)
            {
                OnForkProvisional(fork, response!);
            }
            else if (status < 300)
            {
                OnForkAnswered(fork, response!);
            }
            else if (status is 401 or 407 && !fork.Authenticated && fork.Device.ViaCarrier && RetryWithCredentials(fork, response!))
            {
                // A new INVITE with credentials went out; this transaction is over.
            }
            else
            {
                OnForkFailed(fork, status, response?.ReasonPhrase);
            }
        }
    }

    private void OnForkProvisional(Fork fork, SipResponse provisional)
    {
        var status = provisional.StatusCode;
        if (fork.CancelWanted && !fork.CancelSent)
        {
            SendCancel(fork);
            return;
        }

        if (status == 100 || fork.Done || Phase != CallPhase.Ringing)
        {
            return;
        }

        var leg = fork.Leg;
        if (!leg.Ringing && !leg.Ended)
        {
            leg.Ringing = true;
            if (leg.Reportable)
            {
                _env.Report(e => e.LegRinging(LegEvent(leg)));
            }
        }

        if (_aTransaction is not { State: InviteServerState.Proceeding } t)
        {
            return;
        }

        if (!provisional.Body.IsEmpty && (_earlyMedia is null || _earlyMedia == fork || _earlyMedia.Leg.Ended))
        {
            // Early media (decision 0016): one fork's 18x with SDP reaches the caller — the first to send one, until its
            // leg ends (in turn moved on). Another ringing fork's SDP would make the caller's early media flap.
            _earlyMedia = fork;
            _callerHeardRinging = true;
            t.Respond(ToCaller(t, status, provisional.ReasonPhrase, provisional));
        }
        else if (!_callerHeardRinging)
        {
            // Otherwise the caller hears ringing once, whichever device rings first.
            _callerHeardRinging = true;
            t.Respond(ToCaller(t, 180, "Ringing", body: null));
        }
    }

    /// <summary>A provisional response to the caller with our To tag and Contact, carrying a fork's SDP or none.
    /// Require/RSeq are never copied: we do not offer 100rel, so the caller is never asked to PRACK.</summary>
    private SipResponse ToCaller(InviteServerTransaction t, int status, string reason, SipMessage? body)
    {
        var response = SipResponseFactory.Create(t.Request, status, reason);
        SetToTag(response);
        response.AddHeader(SipHeaderNames.Contact, _env.Contact(t.Flow));
        if (body is not null)
        {
            CopyBody(body, response);
        }

        return response;
    }

    private bool _callerHeardRinging;

    /// <summary>The fork whose early media (18x with SDP) the caller was given, or null.</summary>
    private Fork? _earlyMedia;

    private void OnForkFailed(Fork fork, int status, string? reason = null)
    {
        if (fork.Done)
        {
            return;
        }

        fork.Done = true;
        fork.Status = status;
        fork.Reason = reason;
        var leg = fork.Leg;
        if (leg.Ended || leg.Forks.Any(f => !f.Done))
        {
            return;
        }

        var outcome = leg.Forks.Any(f => f.Status is 486 or 600) ? CallOutcome.Busy
            : leg.Forks.Any(f => f.Status == 603) ? CallOutcome.Declined
            : CallOutcome.Failed;
        EndLeg(leg, outcome);
        if (Phase == CallPhase.Ringing && _legs.All(l => l.Ended))
        {
            if (_a is not null && _aTransaction is null && Phase == CallPhase.Ringing && leg.Forks[0].Device.ViaCarrier)
            {
                // Click-to-call: the client did not answer; the employee's phone is hung up.
                OnNobodyAnswered(0, "", outcome == CallOutcome.Busy ? CallOutcome.Busy : CallOutcome.NoAnswer);
                return;
            }

            // Busy, declined or unreachable: in turn moves on at once.
            NextStep();
        }
    }

    private void OnForkAnswered(Fork fork, SipResponse response)
    {
        if (fork.Dialog is not null)
        {
            // A retransmitted 2xx: our ACK got lost.
            if (fork.Ack is { } ack)
            {
                _env.SendRaw(fork.Flow, fork.Destination, ack);
            }

            return;
        }

        fork.Done = true;
        fork.Status = response.StatusCode;
        fork.Dialog = SipDialog.AsUac(fork.Invite, response, fork.Flow, fork.Destination);
        if (Phase != CallPhase.Ringing || _winner is not null || fork.Leg.Ended)
        {
            // Too late: someone else answered, or the caller hung up. ACK, then BYE (RFC 3261 §15; one answer only).
            fork.Ack = fork.Dialog.CreateAck(fork.Invite.ParseCSeq()!.Value.Number, _env.Contact(fork.Flow), _env.SentBy(fork.Flow));
            _env.SendRaw(fork.Flow, fork.Destination, fork.Ack);
            SendBye(new CallSide(fork.Dialog));
            return;
        }

        if (!_offer.IsEmpty && response.Body.IsEmpty)
        {
            // An offer must be answered in the 200 (RFC 3264 §5): a bare 200 cannot go on to the caller. The device
            // is hung up and counts as not answering.
            fork.Ack = fork.Dialog.CreateAck(fork.Invite.ParseCSeq()!.Value.Number, _env.Contact(fork.Flow), _env.SentBy(fork.Flow));
            _env.SendRaw(fork.Flow, fork.Destination, fork.Ack);
            SendBye(new CallSide(fork.Dialog));
            fork.Done = false;
            OnForkFailed(fork, 488);
            return;
        }

        if (_aTransaction is null && _a is null)
        {
            OnEmployeeAnsweredClickToCall(fork, response);
            return;
        }

        _winner = fork;
        _stepTimer?.Dispose();
        foreach (var leg in _allLegs.Where(l => l != fork.Leg && !l.Ended && !l.Answered))
        {
            CancelLeg(leg, CallOutcome.Cancelled);
        }

        CancelOtherForks(fork);
        var b = new CallSide(fork.Dialog);
        _b = b;
        ReportAnswered(fork.Leg);
        if (_aTransaction is { } t)
        {
            AnswerCaller(t, fork, response, b);
        }
        else
        {
            ConnectClickToCall(fork, response, b);
        }
    }

    /// <summary>The 200 to the caller carries the answerer's SDP; the answerer gets its ACK now when the caller's INVITE
    /// had an offer, or later with the caller's ACK (delayed offer: the caller's ACK carries the answer).</summary>
    private void AnswerCaller(InviteServerTransaction t, Fork fork, SipResponse answer, CallSide b)
    {
        var ok = SipResponseFactory.Create(t.Request, 200, "OK");
        SetToTag(ok);
        ok.AddHeader(SipHeaderNames.Contact, _env.Contact(t.Flow));
        ok.AddHeader(SipHeaderNames.Allow, CallRouter.Allow);
        CopyBody(answer, ok);
        _a = new CallSide(SipDialog.AsUas(t.Request, _aTag, t.Flow, t.Destination)) { AwaitingAck = t };
        _a.Dialog.AcceptRemoteCSeq(t.Request);
        var inviteCSeq = fork.Invite.ParseCSeq()!.Value.Number;
        if (t.Request.Body.IsEmpty)
        {
            b.OwedAckCSeq = inviteCSeq;
        }
        else
        {
            SendAck(b, inviteCSeq, body: null);
            fork.Ack = b.LastAck;
        }

        Phase = CallPhase.Answered;
        _table.AddDialog(_a.Dialog.Key, this);
        _table.AddDialog(b.Dialog.Key, this);
        t.Respond(ok);
    }

    private void CancelOtherForks(Fork winner)
    {
        foreach (var other in winner.Leg.Forks.Where(f => f != winner && !f.Done))
        {
            CancelFork(other);
        }
    }

    private void CancelLeg(Leg leg, CallOutcome outcome)
    {
        foreach (var fork in leg.Forks.Where(f => !f.Done))
        {
            CancelFork(fork);
        }

        EndLeg(leg, outcome);
    }

    /// <summary>CANCEL only after a provisional response (RFC 3261 §9.1); before one, it is sent when one comes.
    /// A fork that never answers at all ends on Timer B.</summary>
    private void CancelFork(Fork fork)
    {
        fork.CancelWanted = true;
        if (fork.Transaction is { HasProvisional: true } && !fork.CancelSent)
        {
            SendCancel(fork);
        }
    }

    private void SendCancel(Fork fork)
    {
        fork.CancelSent = true;
        var invite = fork.Invite;
        var cancel = new SipRequest(SipMethods.Cancel, invite.RequestUri);
        cancel.AddHeader(SipHeaderNames.Via, invite.GetHeader(SipHeaderNames.Via)!);
        cancel.AddHeader(SipHeaderNames.MaxForwards, "70");
        cancel.AddHeader(SipHeaderNames.From, invite.GetHeader(SipHeaderNames.From)!);
        cancel.AddHeader(SipHeaderNames.To, invite.GetHeader(SipHeaderNames.To)!);
        cancel.AddHeader(SipHeaderNames.CallId, invite.CallId!);
        cancel.AddHeader(SipHeaderNames.CSeq, $"{invite.ParseCSeq()!.Value.Number} CANCEL");
        _ = _env.Requests.SendAsync(cancel, fork.Flow, fork.Destination, CancellationToken.None);
    }

    private void ReportAnswered(Leg leg)
    {
        leg.Answered = true;
        if (leg.Reportable)
        {
            _env.Report(e => e.LegAnswered(LegEvent(leg)));
        }
    }

    private CallLegEvent LegEvent(Leg leg) =>
        new(Id, leg.Id, Setup.AccountId, Setup.ProjectId, leg.EmployeeId, Setup.ClientNumber, Setup.DialledNumber, _env.UtcNow, leg.Outgoing);

    private static void CopyBody(SipMessage from, SipMessage to)
    {
        if (!from.Body.IsEmpty)
        {
            to.AddHeader(SipHeaderNames.ContentType, from.GetHeader(SipHeaderNames.ContentType) ?? "application/sdp");
            to.Body = from.Body;
        }
    }

    /// <summary>The carrier challenged our INVITE (401/407): the same INVITE again, CSeq + 1, with credentials.</summary>
    private bool RetryWithCredentials(Fork fork, SipResponse challenge)
    {
        var trunk = _env.Trunks.Outbound;
        var header = challenge.StatusCode == 407 ? SipHeaderNames.ProxyAuthenticate : SipHeaderNames.WwwAuthenticate;
        if (trunk?.Username is not { } user || trunk.Password is not { } password || challenge.GetHeader(header) is not { } value
            || Sip.Auth.DigestClient.Answer(value, user, password, SipMethods.Invite, fork.Invite.RequestUri) is not { } credentials)
        {
            return false;
        }

        var old = fork.Invite;
        var retry = new SipRequest(SipMethods.Invite, old.RequestUri) { Body = old.Body };
        foreach (var h in old.Headers)
        {
            var value2 = h.Name switch
            {
                SipHeaderNames.Via => $"SIP/2.0/{fork.Flow.ViaTransport} {_env.SentBy(fork.Flow)};branch={_env.NewBranch()};rport",
                SipHeaderNames.CSeq => $"{old.ParseCSeq()!.Value.Number + 1} INVITE",
                _ => h.Value,
            };
            retry.AddHeader(h.Name, value2);
        }

        retry.AddHeader(challenge.StatusCode == 407 ? SipHeaderNames.ProxyAuthorization : SipHeaderNames.Authorization, credentials);
        fork.Invite = retry;
        fork.Authenticated = true;
        fork.Transaction = _env.Invites.StartClient(retry, fork.Flow, fork.Destination, (t, r) => OnForkResponse(fork, t, r));
        return true;
    }
}
