using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using LPTracker.Telephony.Calls.RingPlans;
using LPTracker.Telephony.Calls.Trunks;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>Where a new call goes: trunk → ring plan; phone → outbound or internal; console → click-to-call.</summary>
public sealed partial class CallRouter
{
    /// <summary>How long a call out rings before we give up (the carrier usually decides first).</summary>
    private const int OutboundRingSeconds = 120;

    private async ValueTask OnInviteAsync(SipRequest invite, SipFlow flow, IPEndPoint destination, CancellationToken cancellationToken)
    {
        switch (_env.Invites.TryBegin(invite, flow, destination, out var transaction))
        {
            case InviteBegin.Retransmission:
                return;
            case InviteBegin.Full:
                // Stateless 503: under a flood we keep no state for the INVITEs we turn away.
                var busy = SipResponseFactory.Create(invite, 503, "Service Unavailable");
                busy.AddHeader(SipHeaderNames.RetryAfter, "5");
                await _env.Sender.SendAsync(flow, destination, SipMessageWriter.ToBytes(busy), cancellationToken).ConfigureAwait(false);
                return;
        }

        var t = transaction!;
        if (SipRequestValidator.Validate(invite, _supportedExtensions, out var unsupported) is { } error)
        {
            Reject(t, error.Status, error.Reason, r =>
            {
                if (unsupported is not null)
                {
                    r.AddHeader(SipHeaderNames.Unsupported, unsupported);
                }
            });
            return;
        }

        if (DialogKeyOf(invite) is { } key)
        {
            // A re-INVITE (target refresh, hold, codec change) inside a call.
            if (_calls.FindByDialog(key) is { } call)
            {
                call.OnReInvite(t, key);
            }
            else
            {
                Reject(t, 481, "Call/Transaction Does Not Exist");
            }

            return;
        }

        if (invite.GetHeader(SipHeaderNames.MaxForwards) is "0")
        {
            Reject(t, 483, "Too Many Hops");
            return;
        }

        if (invite.Vias!.Any(v => v.Branch?.Contains(_env.LoopMark, StringComparison.Ordinal) == true))
        {
            Reject(t, 482, "Loop Detected");
            return;
        }

        if (_calls.Count >= _env.Options.MaxCalls)
        {
            Reject(t, 503, "Service Unavailable", r => r.AddHeader(SipHeaderNames.RetryAfter, "5"));
            return;
        }

        if (invite.GetHeader(Cluster.NodeLegSigner.HeaderName) is { } nodeLeg)
        {
            FromNode(t, nodeLeg);
            return;
        }

        try
        {
            if (_env.Trunks.Match(flow.Remote) is { } trunk)
            {
                await FromTrunkAsync(t, trunk, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await FromPhoneAsync(t, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _env.Logger.LogError(ex, "Routing INVITE {CallId} failed", invite.CallId);
            Reject(t, 500, "Server Internal Error");
        }
    }

    /// <summary>A carrier call to a virtual number: 404 for a number of no account, otherwise the ring plan (480 when
    /// it rings nobody). The client's number is the From user; the dialled number the Request-URI user.</summary>
    private async Task FromTrunkAsync(InviteServerTransaction t, SipTrunk trunk, CancellationToken cancellationToken)
    {
        var invite = t.Request;
        t.Respond(SipResponseFactory.Create(invite, 100, "Trying"));
        if (invite.ParsedRequestUri is not { } uri || DialledNumber.ToE164(uri.User) is not { } dialled
            || await _directory.FindDialledAsync(dialled, cancellationToken).ConfigureAwait(false) is not { } plan)
        {
            Reject(t, 404, "Not Found");
            return;
        }

        var client = DialledNumber.ToE164(invite.ParseFrom()!.Uri.User);
        var own = await OwnNumbersAsync(plan.Employees, cancellationToken).ConfigureAwait(false);
        var bindings = await BindingsForAsync(plan.Employees.Select(e => e.SipUserName), cancellationToken).ConfigureAwait(false);
        var steps = RingPlan.Build(plan.Mode, plan.Employees, bindings, _env.Time.GetUtcNow(), _env.Trunks.Outbound is not null,
            own.Contains);
        var setup = new CallSetup(plan.AccountId, plan.ProjectId, CallDirection.Inbound, client, dialled, null, plan.RingTimeoutSeconds);
        StartCall(t, setup, steps, (leg, device) => new CallerIdentity(IncomingCallerIdRules.Choose(
            device.ViaCarrier ? LegKind.Carrier : LegKind.Sip, leg.Plan.Employee.HideClientNumber, client, dialled)));
    }

    /// <summary>A call from a phone: digest (407) first. To another SIP login of the same account it rings that
    /// employee (internal); to a number it leaves through the first trunk with the employee's displayed number.</summary>
    private async Task FromPhoneAsync(InviteServerTransaction t, CancellationToken cancellationToken)
    {
        var invite = t.Request;
        var source = t.Flow.Remote.Address;
        // Bans are per (address, user), as the registrar keeps them: one phone guessing must not block its office.
        var claimed = invite.GetHeader(SipHeaderNames.ProxyAuthorization) is { } header && DigestCredentials.TryParse(header, out var c)
            ? c!.UserName ?? ""
            : "";
        if (claimed.Length > 0 && _bans.IsBanned(source, claimed))
        {
            Reject(t, 403, "Forbidden");
            return;
        }

        var auth = await _authenticator.AuthenticateAsync(invite, source, cancellationToken, proxy: true).ConfigureAwait(false);
        switch (auth.Outcome)
        {
            case AuthOutcome.Challenge or AuthOutcome.Stale:
                Reject(t, 407, "Proxy Authentication Required",
                    r => _authenticator.AddChallenges(r, source, auth.Outcome == AuthOutcome.Stale, proxy: true));
                return;
            case AuthOutcome.Failed:
                _bans.RecordFailure(source, claimed);
                Reject(t, 403, "Forbidden");
                return;
            case AuthOutcome.Malformed:
                Reject(t, 400, auth.Reason ?? "Bad Credentials");
                return;
        }

        var caller = auth.User!;
        _bans.RecordSuccess(source, caller.UserName);
        t.Respond(SipResponseFactory.Create(invite, 100, "Trying"));
        var target = invite.ParsedRequestUri?.User is { } u ? Uri.UnescapeDataString(u) : "";
        var callee = target.Length == 0 ? null : await _users.FindAsync(target, cancellationToken).ConfigureAwait(false);
        if (callee is not null && callee.AccountId == caller.AccountId)
        {
            await InternalAsync(t, caller, callee, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (DialledNumber.ToE164(target) is not { } number)
        {
            Reject(t, 404, "Not Found");
            return;
        }

        if (await _directory.IsVirtualNumberAsync(number, cancellationToken).ConfigureAwait(false))
        {
            // The loop guard: we never send a call to the carrier that would come straight back to us.
            Reject(t, 482, "Loop Detected");
            return;
        }

        if (_env.Trunks.Outbound is null)
        {
            Reject(t, 503, "No Trunk");
            return;
        }

        var callerId = await _directory.CallerIdAsync(caller.AccountId, CallKind.Direct, (int)caller.EmployeeId, null, cancellationToken)
            .ConfigureAwait(false);
        if (callerId is null)
        {
            Reject(t, 403, "No Caller ID Configured");
            return;
        }

        var client = new RingEmployee(0, CallReceivingMethod.Mobile, null, number, null, false);
        var setup = new CallSetup(caller.AccountId, null, CallDirection.Outbound, number, number, (int)caller.EmployeeId, OutboundRingSeconds);
        StartCall(t, setup, [new RingStep([new RingLeg(client, [new RingDevice(null, number)])])], (_, _) => new CallerIdentity(callerId));
    }

    private async Task InternalAsync(InviteServerTransaction t, SipUserCredentials caller, SipUserCredentials callee, CancellationToken cancellationToken)
    {
        var employee = await _directory.FindEmployeeAsync(callee.AccountId, (int)callee.EmployeeId, cancellationToken).ConfigureAwait(false);
        // An internal call rings the colleague's SIP phones, whatever their receiving method (no carrier leg for it).
        var sip = employee is null ? null : employee with { Method = CallReceivingMethod.Sip, SipUserName = callee.UserName };
        var bindings = await BindingsForAsync([callee.UserName], cancellationToken).ConfigureAwait(false);
        var leg = sip is null ? null : RingPlan.LegFor(sip, bindings, _env.Time.GetUtcNow(), hasTrunk: false, _ => true);
        var setup = new CallSetup(caller.AccountId, null, CallDirection.Internal, null, callee.UserName, (int)caller.EmployeeId,
            CallStrategyValidator.DefaultTimeout);
        StartCall(t, setup, leg is null ? [] : [new RingStep([leg])], (_, _) => new CallerIdentity(caller.UserName));
    }

    private void StartCall(InviteServerTransaction? t, CallSetup setup, IReadOnlyList<RingStep> steps, Func<Leg, RingDevice, CallerIdentity> callerIdFor,
        CallEnvironment? env = null)
    {
        if (t is { State: not InviteServerState.Proceeding })
        {
            // The caller cancelled while the ring plan was read.
            return;
        }

        var call = new B2buaCall(env ?? _env, _calls, setup, t, steps, callerIdFor);
        if (!_calls.TryAdd(call))
        {
            if (t is not null)
            {
                Reject(t, 503, "Service Unavailable", r => r.AddHeader(SipHeaderNames.RetryAfter, "5"));
            }

            return;
        }

        call.Start();
    }

    /// <inheritdoc />
    public async Task<(ClickToCallStart Result, Guid? CallId)> StartAsync(int accountId, int employeeId, int projectId, string clientE164,
        CancellationToken cancellationToken)
    {
        if (_env.Trunks.Outbound is null)
        {
            return (ClickToCallStart.NoTrunk, null);
        }

        var callerId = await _directory.CallerIdAsync(accountId, CallKind.Crm, employeeId, projectId, cancellationToken).ConfigureAwait(false);
        if (callerId is null)
        {
            return (ClickToCallStart.NoCallerId, null);
        }

        var employee = await _directory.FindEmployeeAsync(accountId, employeeId, cancellationToken).ConfigureAwait(false);
        var own = employee is null ? [] : await OwnNumbersAsync([employee], cancellationToken).ConfigureAwait(false);
        var bindings = await BindingsForAsync([employee?.SipUserName], cancellationToken).ConfigureAwait(false);
        var leg = employee is null ? null
            : RingPlan.LegFor(employee, bindings, _env.Time.GetUtcNow(), hasTrunk: true, own.Contains);
        if (leg is null)
        {
            return (ClickToCallStart.EmployeeUnreachable, null);
        }

        var setup = new CallSetup(accountId, projectId, CallDirection.ClickToCall, clientE164, clientE164, employeeId,
            CallStrategyValidator.DefaultTimeout);
        // The employee's phone shows the client (or the placeholder when they hide numbers); the client sees the
        // project's single number, and so does the employee's mobile (a carrier leg never presents the client).
        var call = new B2buaCall(_env, _calls, setup, null, [new RingStep([leg])], (l, device) => new CallerIdentity(
            l.EmployeeId == employeeId && !device.ViaCarrier
                ? IncomingCallerIdRules.Choose(LegKind.Sip, employee!.HideClientNumber, clientE164, callerId)
                : callerId));
        if (!_calls.TryAdd(call))
        {
            return (ClickToCallStart.Busy, null);
        }

        call.Start();
        return (ClickToCallStart.Started, call.Id);
    }

    /// <summary>The employees' carrier numbers that are our own virtual numbers (never dialled: loop guard).</summary>
    private async Task<HashSet<string>> OwnNumbersAsync(IEnumerable<RingEmployee> employees, CancellationToken cancellationToken)
    {
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in employees)
        {
            var number = e.Method switch
            {
                CallReceivingMethod.Mobile => e.MobileE164,
                CallReceivingMethod.Sim => e.SimE164,
                _ => null,
            };
            if (number is not null && await _directory.IsVirtualNumberAsync(number, cancellationToken).ConfigureAwait(false))
            {
                own.Add(number);
            }
        }

        return own;
    }
}
