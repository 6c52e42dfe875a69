using System.Threading.Channels;
using LPTracker.Core.Employees;
using LPTracker.Core.Notifications;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// Drains <see cref="RegistrationEventSink"/>: writes whatever has queued up as one batch of history, and hands what
/// may notify the administrators (a Working employee's phone went offline during the working day; a ban) to a loop of
/// its own. Notifications read and write the database per employee; in the pump they held up the history, whose queue
/// then overflowed under a mass change (18,000 events dropped at 1,000 changes/s, bench/fanout) — now a flood can
/// only delay or, past their own bound, drop notifications (which are de-duplicated alerts), never history.
/// </summary>
public sealed class RegistrationEventPump(
    RegistrationEventSink sink,
    RegistrationHistoryWriter writer,
    IAdminNotifications notifications,
    ISipPresenceSource presence,
    IDbContextFactory<LptrackerDbContext> dbFactory,
    IOptions<NotificationOptions> notificationOptions,
    ILogger<RegistrationEventPump> logger) : BackgroundService
{
    /// <summary>The most events handled in one batch.</summary>
    public const int MaxBatch = 500;

    /// <summary>
    /// How long the pump lets events gather after the first one of a batch. After a restart every phone registers
    /// within seconds: woken per event, the pump wrote one transaction per phone (and woke a pool thread each time),
    /// which cost more CPU than the registrations; gathered, a storm is a few dozen writes. History is read by people,
    /// so a quarter of a second late is not late.
    /// </summary>
    public static TimeSpan BatchWindow { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most notification candidates waiting for the notification loop.</summary>
    public const int AlertCapacity = 10_000;

    private readonly Channel<object> _alerts = Channel.CreateBounded<object>(new BoundedChannelOptions(AlertCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true,
    });

    private long _alertsDropped;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var alerts = Task.Run(() => AlertLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            await PumpAsync(stoppingToken);
        }
        finally
        {
            _alerts.Writer.TryComplete();
            await alerts;
        }
    }

    private async Task PumpAsync(CancellationToken stoppingToken)
    {
        var batch = new List<object>(MaxBatch);
        try
        {
            while (await sink.Queue.WaitToReadAsync(stoppingToken))
            {
                if (!sink.Queue.CanCount || sink.Queue.Count < MaxBatch)
                {
                    // A full batch is already waiting (a storm): no reason to wait for more.
                    await Task.Delay(BatchWindow, stoppingToken);
                }

                while (batch.Count < MaxBatch && sink.Queue.TryRead(out var e))
                {
                    batch.Add(e);
                }

                await HandleAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; what is still queued is lost (history is informative, not a ledger).
        }
    }

    private async Task HandleAsync(List<object> batch, CancellationToken ct)
    {
        var transitions = batch.Select(e => e switch
        {
            RegistrationTransition t => t,
            RegistrarBanEvent { EmployeeId: { } employee } ban => BanRow(ban, employee),
            _ => null,
        }).OfType<RegistrationTransition>().ToList();
        try
        {
            await writer.WriteAsync(transitions, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(ex, "{Count} registration history events could not be written", transitions.Count);
        }

        foreach (var e in batch)
        {
            if (MayNotify(e) && !_alerts.Writer.TryWrite(e) && Interlocked.Increment(ref _alertsDropped) % 1000 == 1)
            {
                logger.LogWarning("Registration notification queue full: {Dropped} notifications dropped so far",
                    Interlocked.Read(ref _alertsDropped));
            }
        }
    }

    private bool MayNotify(object e) => e switch
    {
        RegistrationTransition { Online: false } t => WorkingDay.Contains(t.AtUtc, notificationOptions.Value),
        RegistrarBanEvent => true,
        _ => false,
    };

    private async Task AlertLoopAsync(CancellationToken ct)
    {
        var batch = new List<object>(MaxBatch);
        try
        {
            while (await _alerts.Reader.WaitToReadAsync(ct))
            {
                while (batch.Count < MaxBatch && _alerts.Reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                await NotifyAsync(batch, ct);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: notifications still queued are not raised.
        }
    }

    private async Task NotifyAsync(List<object> batch, CancellationToken ct)
    {
        // Who of the batch's offline employees is Working: one query per account, not one per event.
        var names = new Dictionary<int, IReadOnlyDictionary<int, string>>();
        foreach (var account in batch.OfType<RegistrationTransition>().GroupBy(t => t.AccountId))
        {
            try
            {
                names[account.Key] = await WorkingEmployeeNamesAsync(account.Key, account.Select(t => t.EmployeeId).Distinct().ToList(), ct);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Registration notifications of account {AccountId} were not raised", account.Key);
            }
        }

        foreach (var e in batch)
        {
            try
            {
                await NotifyAsync(e, names, ct);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(ex, "A registration notification was not raised");
            }
        }
    }

    /// <summary>A ban of one user is a line in that employee's history; it does not change their state by itself.</summary>
    private RegistrationTransition BanRow(RegistrarBanEvent ban, int employeeId) =>
        new(ban.AccountId, employeeId, presence.Get(employeeId).Status == SipStatus.Online, RegistrationReason.Banned, ban.AtUtc,
            null, ban.Address, null);

    private async Task NotifyAsync(object e, Dictionary<int, IReadOnlyDictionary<int, string>> working, CancellationToken ct)
    {
        switch (e)
        {
            case RegistrationTransition t:
                if (working.TryGetValue(t.AccountId, out var names) && names.TryGetValue(t.EmployeeId, out var name))
                {
                    await notifications.RaiseAsync(t.AccountId, NotificationKinds.PhoneOffline, NotificationSubject.Employee(t.EmployeeId),
                        name, ReasonKey(t.Reason));
                }

                break;
            case RegistrarBanEvent ban:
                await notifications.RaiseAsync(ban.AccountId, NotificationKinds.AddressBanned, NotificationSubject.Of($"address:{ban.Address}"),
                    ban.Address, NotificationText.Key($"Notification.BanReason.{ban.Reason}"));
                break;
        }
    }

    /// <summary>The names of those of <paramref name="employeeIds"/> who are switched on and take calls in at least one
    /// project they can open (Working somewhere).</summary>
    private async Task<IReadOnlyDictionary<int, string>> WorkingEmployeeNamesAsync(int accountId, List<int> employeeIds, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        return await db.Employees
            .Where(e => employeeIds.Contains(e.Id) && e.IsEnabled
                && db.Memberships.Any(m => m.EmployeeId == e.Id && m.TakesCalls && (m.HasAccess || e.IsMain)))
            .ToDictionaryAsync(e => e.Id, e => e.Name, ct);
    }

    private static string ReasonKey(RegistrationReason reason) => NotificationText.Key($"Registration.Reason.{reason}");
}
