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
/// contact, so a REGISTER refresh neither resets it nor the reachability learnt. Contacts wait in a queue ordered by
/// when they are due: a tick costs what is due, not a scan of every binding (10,000 bindings were scanned and copied
/// every second), and a contact enters the queue when the store first shows it and leaves when it is due and gone.
/// </summary>
public sealed class QualifyService : IDisposable
{
    private readonly ConcurrentDictionary<(string UserName, string ContactUri), PingState> _states = new();
    private readonly PriorityQueue<(string UserName, string ContactUri), DateTimeOffset> _due = new();
    private readonly Lock _dueLock = new();
    private readonly SipOptions _options;
    private readonly ILocationStore _store;
    private readonly ClientTransactionTable _transactions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _timer;

    /// <summary>Creates the service (not started); it follows the store's bindings from now on.</summary>
    public QualifyService(SipOptions options, ILocationStore store, ClientTransactionTable transactions, TimeProvider time, ILogger logger)
    {
        _options = options;
        _store = store;
        _transactions = transactions;
        _time = time;
        _logger = logger;
        _store.Changed += OnBindingsChanged;
    }

    /// <summary>Contacts scheduled (for tests and diagnostics).</summary>
    public int Scheduled => _states.Count;

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
        while (TakeDue(now) is { } key)
        {
            if (!_states.TryGetValue(key, out var state))
            {
                continue;
            }

            if (Find(_store.GetBindings(key.UserName), key.ContactUri) is not { } binding)
            {
                // Unregistered, expired or replaced since it was scheduled: forget it.
                _states.TryRemove(key, out _);
                continue;
            }

            if (binding.Flow is not { } flow)
            {
                Schedule(key, state, now + _options.QualifyInterval);
                continue;
            }

            state.DueAt = now + _options.QualifyInterval;
            _ = PingAsync(key, binding, flow, state);
        }
    }

    private void OnBindingsChanged(string userName, IReadOnlyList<SipBinding> bindings)
    {
        // Runs on every REGISTER: a lookup per contact, and work only for a contact not seen before.
        for (var i = 0; i < bindings.Count; i++)
        {
            var binding = bindings[i];
            var key = (userName, binding.ContactUri);
            if (_states.ContainsKey(key))
            {
                continue;
            }

            var state = new PingState();
            if (_states.TryAdd(key, state))
            {
                Schedule(key, state, binding.UpdatedAt + _options.QualifyInterval);
            }
        }
    }

    private (string UserName, string ContactUri)? TakeDue(DateTimeOffset now)
    {
        lock (_dueLock)
        {
            return _due.TryPeek(out var key, out var due) && due <= now ? _due.Dequeue() : null;
        }
    }

    private void Schedule((string UserName, string ContactUri) key, PingState state, DateTimeOffset due)
    {
        state.DueAt = due;
        lock (_dueLock)
        {
            _due.Enqueue(key, due);
        }
    }

    private static SipBinding? Find(IReadOnlyList<SipBinding> bindings, string contactUri)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            if (string.Equals(bindings[i].ContactUri, contactUri, StringComparison.Ordinal))
            {
                return bindings[i];
            }
        }

        return null;
    }

    private async Task PingAsync((string UserName, string ContactUri) key, SipBinding binding, SipFlow flow, PingState state)
    {
        // Read before the answer: the store records it in this very binding (decision 0090).
        var wasUnreachable = binding.Reachability == Reachability.Unreachable;
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
                if (!wasUnreachable)
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
            Schedule(key, state, state.DueAt);
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

    /// <summary>Stops the periodic check (the schedule keeps following the store).</summary>
    public void Stop() => _timer?.Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _store.Changed -= OnBindingsChanged;
        Stop();
    }

    /// <summary>A contact's place in the schedule; while its ping is out it is not in the queue.</summary>
    private sealed class PingState
    {
        public DateTimeOffset DueAt { get; set; }
    }
}
