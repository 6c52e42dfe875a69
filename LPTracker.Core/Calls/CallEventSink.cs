using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LPTracker.Core.Calls;

/// <summary>
/// Core's <see cref="ICallEvents"/>: the live call state is updated at once (a lock and a dictionary), everything
/// slower — pop-ups, list refreshes, the call log — is queued on two bounded channels that
/// <see cref="CallEventPump"/> drains. The B2BUA's threads never wait on the database; when a queue is full the
/// event is dropped and logged rather than blocking a SIP transaction.
/// </summary>
public sealed class CallEventSink(LiveCallTracker tracker, ILogger<CallEventSink> logger) : ICallEvents
{
    /// <summary>Events held for the log writer before new ones are dropped (a burst of ~100 calls/s for a minute).</summary>
    public const int LogCapacity = 32_768;

    /// <summary>Events held for pop-ups and live state.</summary>
    public const int LiveCapacity = 8_192;

    private readonly Channel<object> _log = Channel.CreateBounded<object>(
        new BoundedChannelOptions(LogCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Channel<LiveWork> _live = Channel.CreateBounded<LiveWork>(
        new BoundedChannelOptions(LiveCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    internal ChannelReader<object> LogQueue => _log.Reader;

    internal ChannelReader<LiveWork> LiveQueue => _live.Reader;

    public void CallStarted(CallStartedEvent e) => Log(e);

    public void LegRinging(CallLegEvent e)
    {
        var changed = tracker.Ringing(e);
        Live(new LiveWork(e, e.AccountId, changed ? [e.EmployeeId] : []));
        Log(e);
    }

    public void LegAnswered(CallLegEvent e)
    {
        var changed = tracker.Answered(e);
        Live(new LiveWork(new LegAnswered(e), e.AccountId, changed ? [e.EmployeeId] : []));
        Log(new LegAnswered(e));
    }

    public void LegEnded(CallLegEndedEvent e)
    {
        var changed = tracker.Ended(e.LegId, e.EmployeeId);
        Live(new LiveWork(e, e.AccountId, changed ? [e.EmployeeId] : []));
        Log(e);
    }

    public void CallEnded(CallEndedEvent e)
    {
        var changed = tracker.CallEnded(e.CallId);
        Live(new LiveWork(e, e.AccountId, changed));
        Log(e);
    }

    private void Log(object e)
    {
        if (!_log.Writer.TryWrite(e))
        {
            logger.LogWarning("Call log queue full: {Event} not written", e.GetType().Name);
        }
    }

    private void Live(LiveWork work)
    {
        if (!_live.Writer.TryWrite(work))
        {
            logger.LogWarning("Live call queue full: {Event} not shown", work.Event.GetType().Name);
        }
    }

    internal void Complete()
    {
        _log.Writer.TryComplete();
        _live.Writer.TryComplete();
    }
}

/// <summary>A leg was answered (the contract reuses <see cref="CallLegEvent"/> for ringing and answered).</summary>
internal sealed record LegAnswered(CallLegEvent Leg);

/// <summary>One event for the live loop, with the employees whose visible call state it changed.</summary>
internal sealed record LiveWork(object Event, int AccountId, IReadOnlyList<int> StateChanged);
