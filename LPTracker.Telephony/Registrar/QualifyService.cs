using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transactions;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// Pings every binding with OPTIONS once per <see cref="SipOptions.QualifyInterval"/> (first ping one interval after
/// registering, so pings spread out over time). Any response proves the phone alive; a ping unanswered within
/// <see cref="SipOptions.QualifyTimeout"/> counts as a miss and the next goes out at once, and
/// <see cref="SipOptions.QualifyMaxMisses"/> consecutive misses mark the binding Disconnected. The schedule is kept per
/// contact, so a REGISTER refresh neither resets it nor the reachability learnt.
/// </summary>
public sealed class QualifyService : IDisposable
{
    private readonly ConcurrentDictionary<(string UserName, string ContactKey), PingState> _states = new();
    private readonly SipOptions _options;
    private readonly ILocationStore _store;
    private readonly ClientTransactionTable _transactions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _timer;

    /// <summary>Creates the service (not started).</summary>
    public QualifyService(SipOptions options, ILocationStore store, ClientTransactionTable transactions, TimeProvider time, ILogger logger)
    {
        _options = options;
        _store = store;
        _transactions = transactions;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts the periodic check.</summary>
    public void Start()
    {
        var tick = _options.QualifyInterval < TimeSpan.FromSeconds(1) ? _options.QualifyInterval : TimeSpan.FromSeconds(1);
        _timer = _time.CreateTimer(_ => Tick(), null, tick, tick);
    }

    /// <summary>Sends the pings that are due; runs on the timer, callable from tests.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        // Tuple keys: this runs every second over every binding, so no per-binding string concatenation.
        var seen = new HashSet<(string, string)>();
        foreach (var binding in _store.GetAll())
        {
            var key = (binding.UserName, binding.ContactKey);
            seen.Add(key);
            var state = _states.GetOrAdd(key, static (_, due) => new PingState { DueAt = due }, binding.UpdatedAt + _options.QualifyInterval);
            if (state.Pending || now < state.DueAt || binding.Flow is not { } flow)
            {
                continue;
            }

            state.Pending = true;
            state.DueAt = now + _options.QualifyInterval;
            _ = PingAsync(binding, flow, state);
        }

        foreach (var key in _states.Keys)
        {
            if (!seen.Contains(key))
            {
                _states.TryRemove(key, out _);
            }
        }
    }

    private async Task PingAsync(SipBinding binding, SipFlow flow, PingState state)
    {
        try
        {
            var request = BuildOptions(binding, flow);
            var sent = _time.GetTimestamp();
            var response = await _transactions.SendAsync(request, flow, flow.Remote, CancellationToken.None, _options.QualifyTimeout)
                .ConfigureAwait(false);
            var roundTrip = response is null ? (TimeSpan?)null : _time.GetElapsedTime(sent);
            await _store.SetReachabilityAsync(binding.UserName, binding.ContactKey, response is not null, _options.QualifyMaxMisses,
                CancellationToken.None, roundTrip).ConfigureAwait(false);
            if (response is null)
            {
                _logger.LogDebug("Qualify ping to {User} at {Remote} went unanswered", binding.UserName, flow.Remote);
                // Confirm a miss at once rather than an interval later: a dead phone must turn Disconnected in seconds.
                if (binding.Reachability != Reachability.Unreachable)
                {
                    state.DueAt = _time.GetUtcNow();
                }
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Qualify ping to {User} failed", binding.UserName);
        }
        finally
        {
            state.Pending = false;
        }
    }

    /// <summary>Builds the OPTIONS ping for a binding (RFC 3261 §11).</summary>
    internal SipRequest BuildOptions(SipBinding binding, SipFlow flow)
    {
        var host = _options.PublicHost
            ?? (flow.Local.Address.Equals(IPAddress.Any) || flow.Local.Address.Equals(IPAddress.IPv6Any) ? _options.Domain : FormatHost(flow.Local.Address));
        var port = flow.Local.Port.ToString(CultureInfo.InvariantCulture);
        var request = new SipRequest(SipMethods.Options, binding.ContactUri);
        request.AddHeader(SipHeaderNames.Via, $"SIP/2.0/{flow.ViaTransport} {host}:{port};branch={SipResponseFactory.NewBranch()};rport");
        request.AddHeader(SipHeaderNames.MaxForwards, "70");
        request.AddHeader(SipHeaderNames.From, $"<sip:qualify@{_options.Domain}>;tag={SipResponseFactory.NewTag()}");
        request.AddHeader(SipHeaderNames.To, $"<{binding.ContactUri}>");
        request.AddHeader(SipHeaderNames.CallId, $"{SipResponseFactory.NewTag()}@{host}");
        request.AddHeader(SipHeaderNames.CSeq, "1 OPTIONS");
        return request;
    }

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();

    private sealed class PingState
    {
        public DateTimeOffset DueAt { get; set; }

        public bool Pending { get; set; }
    }
}
