using System.Threading.Channels;
using LPTracker.Core.Telephony;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// Core's <see cref="IRegistrationEvents"/>: queues what the registrar reports, on the registrar's thread, without
/// I/O; <see cref="RegistrationEventPump"/> writes the history in batches and hands notifications on. A full queue
/// drops new events (counted in the log) rather than slow the SIP path or grow without bound.
/// </summary>
public sealed class RegistrationEventSink : IRegistrationEvents
{
    private readonly Channel<object> _queue;
    private readonly ILogger _logger;
    private long _dropped;

    public RegistrationEventSink(IOptions<RegistrationHistoryOptions> options, ILogger<RegistrationEventSink> logger)
    {
        _logger = logger;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Math.Max(100, options.Value.QueueCapacity))
        {
            // Wait mode makes TryWrite answer false when full (DropWrite would drop silently and uncounted).
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true,
        });
    }

    /// <summary>The queued <see cref="RegistrationTransition"/>s and <see cref="RegistrarBanEvent"/>s.</summary>
    public ChannelReader<object> Queue => _queue.Reader;

    /// <summary>Events dropped because the queue was full, since start (the <c>lpt.registration_history.dropped</c> metric).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public void Transition(RegistrationTransition e) => Enqueue(e);

    /// <inheritdoc />
    public void Banned(RegistrarBanEvent e) => Enqueue(e);

    private void Enqueue(object e)
    {
        if (!_queue.Writer.TryWrite(e) && Interlocked.Increment(ref _dropped) % 1000 == 1)
        {
            _logger.LogWarning("Registration history queue full: {Dropped} events dropped so far", Dropped);
        }
    }
}
