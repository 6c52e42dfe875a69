using System.Threading.Channels;
using LPTracker.Core.Notifications;
using LPTracker.Core.Telephony;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// Registration events that may notify the administrators (a phone offline during the working day; a ban), handed
/// over by <see cref="RegistrationEventPump"/> after it wrote their history and told by
/// <see cref="RegistrationAlertPump"/>. Bounded: when notifications fall behind, new candidates are dropped and
/// counted (<see cref="Dropped"/>, the log, the <c>lpt.notifications.dropped</c> metric) — history never waits for them.
/// </summary>
public sealed class RegistrationAlertQueue
{
    private readonly Channel<object> _queue;
    private readonly IOptions<NotificationOptions> _options;
    private readonly ILogger _logger;
    private long _dropped;

    public RegistrationAlertQueue(IOptions<NotificationOptions> options, ILogger<RegistrationAlertQueue> logger)
    {
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Math.Max(100, options.Value.QueueCapacity))
        {
            // Wait mode makes TryWrite answer false when full (DropWrite would drop silently and uncounted).
            FullMode = BoundedChannelFullMode.Wait, SingleWriter = true,
        });
    }

    /// <summary>Candidates dropped because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<object> Reader => _queue.Reader;

    /// <summary>Queues <paramref name="e"/> when it may notify: an offline transition within the working day, or a ban.
    /// Never waits.</summary>
    public void Offer(object e)
    {
        var candidate = e switch
        {
            RegistrationTransition { Online: false } t => WorkingDay.Contains(t.AtUtc, _options.Value),
            RegistrarBanEvent => true,
            _ => false,
        };
        if (candidate && !_queue.Writer.TryWrite(e) && Interlocked.Increment(ref _dropped) % 1000 == 1)
        {
            _logger.LogWarning("Registration notification queue full: {Dropped} notifications dropped so far", Dropped);
        }
    }
}
