using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Telephony.Calls.Dialogs;
using LPTracker.Telephony.Calls.Trunks;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>
/// The B2BUA's front door: every INVITE, ACK, CANCEL, BYE and UPDATE the message processor receives. Out-of-dialog
/// INVITEs from a trunk are calls to a virtual number; from anywhere else they are calls from a phone (407 first).
/// In-dialog requests find their call by dialog key; ACK and CANCEL find their INVITE transaction by branch.
/// </summary>
public sealed partial class CallRouter : IClickToCallDialer
{
    /// <summary>The methods the PBX supports, for Allow headers.</summary>
    public const string Allow = "INVITE, ACK, CANCEL, BYE, UPDATE, OPTIONS";

    private static readonly string[] _supportedExtensions = [];
    private readonly CallEnvironment _env;
    private readonly CallTable _calls;
    private readonly ServerTransactionTable _serverRequests;
    private readonly ICallDirectory _directory;
    private readonly ISipUserDirectory _users;
    private readonly DigestAuthenticator _authenticator;
    private readonly FailureBanList _bans;
    private readonly ILocationStore _locations;

    internal CallRouter(CallEnvironment env, ServerTransactionTable serverRequests, ICallDirectory directory, ISipUserDirectory users,
        DigestAuthenticator authenticator, FailureBanList bans, ILocationStore locations)
    {
        _env = env;
        _calls = new CallTable(env.Options.MaxCalls);
        _serverRequests = serverRequests;
        _directory = directory;
        _users = users;
        _authenticator = authenticator;
        _bans = bans;
        _locations = locations;
    }

    /// <summary>Live calls.</summary>
    public int ActiveCalls => _calls.Count;

    /// <summary>Indexed dialogs (two per answered call).</summary>
    public int ActiveDialogs => _calls.DialogCount;

    /// <summary>The INVITE transactions (server and client).</summary>
    public InviteTransactionTable Invites => _env.Invites;

    /// <summary>The configured trunks.</summary>
    public TrunkTable Trunks => _env.Trunks;

    /// <summary>True for the requests this layer owns.</summary>
    public static bool Handles(SipRequest request) =>
        request.Method is SipMethods.Invite or SipMethods.Ack or SipMethods.Cancel or SipMethods.Bye or SipMethods.Update;

    /// <summary>Routes a response to its INVITE client transaction; false when it belongs elsewhere.</summary>
    public bool OnResponse(SipResponse response) => _env.Invites.OnResponse(response);

    /// <summary>Handles one request (its top Via already stamped). Never throws for bad input.</summary>
    public async ValueTask HandleAsync(SipRequest request, SipFlow flow, CancellationToken cancellationToken)
    {
        var destination = SipMessageProcessor.ResponseDestination(request, flow);
        switch (request.Method)
        {
            case SipMethods.Ack:
                OnAck(request);
                return;
            case SipMethods.Invite:
                await OnInviteAsync(request, flow, destination, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await OnNonInviteAsync(request, flow, destination, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>ACK: for a non-2xx it ends its INVITE transaction (hop-by-hop); for a 2xx it belongs to a dialog
    /// (end-to-end). Never answered.</summary>
    private void OnAck(SipRequest ack)
    {
        if (SipRequestValidator.Validate(ack, _supportedExtensions, out _) is not null)
        {
            return;
        }

        if (_env.Invites.FindServer(ack) is { } transaction && transaction.OnNon2xxAck())
        {
            return;
        }

        if (DialogKeyOf(ack) is { } key && _calls.FindByDialog(key) is { } call)
        {
            call.OnAck(ack, key);
        }
    }

    private async ValueTask OnNonInviteAsync(SipRequest request, SipFlow flow, IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (!_serverRequests.TryBegin(request, out var transaction))
        {
            await _serverRequests.RetransmitAsync(transaction, request, flow, destination, _env.Sender, cancellationToken).ConfigureAwait(false);
            return;
        }

        Action? then = null;
        var response = SipRequestValidator.Validate(request, _supportedExtensions, out _) is { } error
            ? SipResponseFactory.Create(request, error.Status, error.Reason)
            : request.Method == SipMethods.Cancel
                ? OnCancel(request, out then)
                : await AnswerInDialogAsync(request).ConfigureAwait(false);
        await _serverRequests.CompleteAsync(transaction, response, flow, destination, _env.Sender, cancellationToken).ConfigureAwait(false);
        // The 200 to a CANCEL leaves before the 487 to its INVITE (the order RFC 3261 §9.2 describes).
        then?.Invoke();
    }

    private async Task<SipResponse> AnswerInDialogAsync(SipRequest request)
    {
        if (DialogKeyOf(request) is not { } key || _calls.FindByDialog(key) is not { } call)
        {
            return SipResponseFactory.Create(request, 481, "Call/Transaction Does Not Exist");
        }

        return request.Method == SipMethods.Bye ? call.OnBye(request, key) : await call.OnUpdateAsync(request, key).ConfigureAwait(false);
    }

    /// <summary>CANCEL (RFC 3261 §9.2): 481 when no INVITE transaction matches; otherwise 200, and then the INVITE
    /// gets 487 unless it already has a final response.</summary>
    private SipResponse OnCancel(SipRequest cancel, out Action? then)
    {
        then = null;
        if (_env.Invites.FindServer(cancel) is not { } transaction)
        {
            return SipResponseFactory.Create(cancel, 481, "Call/Transaction Does Not Exist");
        }

        if (transaction.Owner is B2buaCall call && call.IsInitial(transaction))
        {
            then = call.OnCallerCancel;
        }
        else
        {
            // Still being routed (the ring plan is being read) or a re-INVITE: it ends here.
            then = () => transaction.Respond(SipResponseFactory.Create(transaction.Request, 487, "Request Terminated"));
        }

        return SipResponseFactory.Create(cancel, 200, "OK");
    }

    /// <summary>The dialog key of a request we receive: Call-ID, our tag (To), the peer's tag (From).</summary>
    private static string? DialogKeyOf(SipRequest request) =>
        request.CallId is { } callId && request.ParseTo()?.Tag is { } local && request.ParseFrom()?.Tag is { } remote
            ? SipDialog.KeyOf(callId, local, remote)
            : null;

    private void Reject(InviteServerTransaction transaction, int status, string reason, Action<SipResponse>? decorate = null)
    {
        var response = SipResponseFactory.Create(transaction.Request, status, reason);
        decorate?.Invoke(response);
        transaction.Respond(response);
        _env.Logger.LogDebug("INVITE {CallId} from {Flow} rejected: {Status} {Reason}", transaction.Request.CallId, transaction.Flow, status, reason);
    }
}
