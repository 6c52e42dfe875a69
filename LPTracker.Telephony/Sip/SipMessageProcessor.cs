using System.Buffers;
using System.Net;
using LPTracker.Telephony.Calls.B2bua;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Sip;

/// <summary>
/// Everything between the sockets and the registrar: drop banned sources, parse, route responses to client
/// transactions, absorb retransmissions through server transactions, validate, dispatch by method and send
/// the answer back along the Via (RFC 3261 §18.2.2, RFC 3581).
/// </summary>
public sealed class SipMessageProcessor
{
    private const string Allow = "REGISTER, OPTIONS, INVITE, ACK, CANCEL, BYE, UPDATE";
    private static readonly string[] _supportedExtensions = [];
    private readonly ServerTransactionTable _serverTransactions;
    private readonly ClientTransactionTable _clientTransactions;
    private readonly SipRegistrar _registrar;
    private readonly FailureBanList _bans;
    private readonly ISipSender _sender;
    private readonly ILogger _logger;
    private readonly CallRouter? _calls;

    /// <summary>Creates the processor; <paramref name="calls"/> takes INVITE, ACK, CANCEL, BYE and UPDATE.</summary>
    public SipMessageProcessor(ServerTransactionTable serverTransactions, ClientTransactionTable clientTransactions,
        SipRegistrar registrar, FailureBanList bans, ISipSender sender, ILogger logger, CallRouter? calls = null)
    {
        _calls = calls;
        _serverTransactions = serverTransactions;
        _clientTransactions = clientTransactions;
        _registrar = registrar;
        _bans = bans;
        _sender = sender;
        _logger = logger;
    }

    /// <summary>Handles one received message. Never throws for bad input.</summary>
    public async ValueTask ProcessAsync(ReadOnlyMemory<byte> data, SipFlow flow, CancellationToken cancellationToken)
    {
        if (_bans.IsBanned(flow.Remote.Address) && !MayPassAddressBan(data.Span))
        {
            return;
        }

        if (!SipMessageParser.TryParse(data, flow.IsReliable, out var message))
        {
            _logger.LogDebug("Dropped unparseable {Length}-byte message from {Flow}", data.Length, flow);
            return;
        }

        if (message is SipResponse response)
        {
            if (_calls?.OnResponse(response) != true)
            {
                _clientTransactions.OnResponse(response);
            }

            return;
        }

        var request = (SipRequest)message!;
        if (request.GetHeader(SipHeaderNames.Via) is null || (request.Method == SipMethods.Ack && _calls is null))
        {
            // Without a Via no response can be routed; an ACK never gets one.
            return;
        }

        request.TopVia?.StampReceived(FormatAddress(flow.Remote.Address), flow.Remote.Port);
        if (_calls is not null && CallRouter.Handles(request) && request.TopVia is not null)
        {
            // Calls (RFC 3261 §13–§17 INVITE machinery, dialogs, the B2BUA) keep their own transactions.
            await _calls.HandleAsync(request, flow, cancellationToken).ConfigureAwait(false);
            return;
        }

        ServerTransaction? transaction = null;
        if (request.TopVia is not null)
        {
            if (!_serverTransactions.TryBegin(request, out var begun))
            {
                await _serverTransactions.RetransmitAsync(begun, request, flow, ResponseDestination(request, flow), _sender, cancellationToken)
                    .ConfigureAwait(false);
                return;
            }

            transaction = begun;
        }

        try
        {
            if (await AnswerAsync(request, flow, cancellationToken).ConfigureAwait(false) is not { } answer)
            {
                // Dropped on purpose (a banned source): no answer, and a retransmission is judged afresh.
                if (transaction is { } begun)
                {
                    _serverTransactions.Abandon(begun);
                }

                return;
            }

            var destination = ResponseDestination(request, flow);
            if (transaction is not { } kept || flow.IsReliable || IsStatelessChallenge(request, answer))
            {
                // Nothing keeps these bytes (no Timer J), so they go through a pooled buffer.
                if (transaction is { } begun)
                {
                    _serverTransactions.Abandon(begun);
                }

                await SendPooledAsync(flow, destination, answer, cancellationToken).ConfigureAwait(false);
                return;
            }

            await _serverTransactions.CompleteAsync(kept, answer, flow, destination, _sender, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Failed to process {Method} from {Flow}", request.Method, flow);
            if (transaction is { } begun)
            {
                _serverTransactions.Abandon(begun);
            }
        }
    }

    private async ValueTask<SipResponse?> AnswerAsync(SipRequest request, SipFlow flow, CancellationToken cancellationToken)
    {
        var error = SipRequestValidator.Validate(request, _supportedExtensions, out var unsupported);
        if (error is { } e)
        {
            var rejection = SipResponseFactory.Create(request, e.Status, e.Reason);
            if (unsupported is not null)
            {
                rejection.AddHeader(SipHeaderNames.Unsupported, unsupported);
            }

            return rejection;
        }

        switch (request.Method)
        {
            case SipMethods.Register:
                return await _registrar.HandleAsync(request, flow, cancellationToken).ConfigureAwait(false);
            case SipMethods.Options:
                var ok = SipResponseFactory.Create(request, 200, "OK");
                ok.AddHeader(SipHeaderNames.Allow, Allow);
                ok.AddHeader(SipHeaderNames.Accept, "application/sdp");
                return ok;
            case SipMethods.Cancel:
                return SipResponseFactory.Create(request, 481, "Call/Transaction Does Not Exist");
            default:
                if (SipMethods.IsKnown(request.Method))
                {
                    var notAllowed = SipResponseFactory.Create(request, 405, "Method Not Allowed");
                    notAllowed.AddHeader(SipHeaderNames.Allow, Allow);
                    return notAllowed;
                }

                return SipResponseFactory.Create(request, 501, "Not Implemented");
        }
    }

    private async ValueTask SendPooledAsync(SipFlow flow, IPEndPoint destination, SipResponse answer, CancellationToken cancellationToken)
    {
        var buffer = SipMessageWriter.ToRentedBytes(answer, out var length);
        try
        {
            await _sender.SendAsync(flow, destination, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A 401 to a REGISTER that carried no credentials is answered statelessly (decision 0025): re-challenging a
    /// retransmission changes nothing (no failure is counted, no binding touched), so keeping half of all registrations'
    /// transactions for Timer J (32 s on UDP) would hold memory for nothing.
    /// </summary>
    private static bool IsStatelessChallenge(SipRequest request, SipResponse answer) =>
        answer.StatusCode == 401 && request.Method == SipMethods.Register && request.CountHeader(SipHeaderNames.Authorization) == 0;

    /// <summary>
    /// What a banned address may still send: responses (to our own qualify pings: dropping them would turn the phones
    /// behind that address Disconnected) and REGISTERs, which the registrar serves only for users with live
    /// authenticated bindings from that address. Checked on the raw bytes so a flood costs no parsing.
    /// </summary>
    private static bool MayPassAddressBan(ReadOnlySpan<byte> data) =>
        data.StartsWith("SIP/2.0 "u8) || data.StartsWith("REGISTER "u8);

    /// <summary>Where a response goes: the connection for TCP; for UDP the source address, with the source port when
    /// rport was requested and the Via port (default 5060) otherwise.</summary>
    internal static IPEndPoint ResponseDestination(SipRequest request, SipFlow flow)
    {
        if (flow.IsReliable || request.TopVia is not { } via || via.HasRPort)
        {
            return flow.Remote;
        }

        var port = via.Port ?? 5060;
        return port == flow.Remote.Port ? flow.Remote : new IPEndPoint(flow.Remote.Address, port);
    }

    private static string FormatAddress(IPAddress address)
    {
        // The phones' addresses recur: formatted on the stack, the string comes from the recent-strings table.
        Span<char> text = stackalloc char[64];
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return plain.TryFormat(text, out var written) ? SipStrings.Get(text[..written]) : plain.ToString();
    }
}
