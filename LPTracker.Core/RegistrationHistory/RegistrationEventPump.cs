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
/// Drains <see cref="RegistrationEventSink"/>: writes whatever has queued up as one batch of history, then raises
/// the administrators' notifications (a Working employee's phone went offline during the working day; a ban).
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
            try
            {
                await NotifyAsync(e, ct);
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

    private async Task NotifyAsync(object e, CancellationToken ct)
    {
        switch (e)
        {
            case RegistrationTransition { Online: false } t when WorkingDay.Contains(t.AtUtc, notificationOptions.Value):
                if (await WorkingEmployeeNameAsync(t.AccountId, t.EmployeeId, ct) is { } name)
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

    /// <summary>The employee's name when they are switched on and take calls in at least one project they can
    /// open (Working somewhere), else null.</summary>
    private async Task<string?> WorkingEmployeeNameAsync(int accountId, int employeeId, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        return await db.Employees
            .Where(e => e.Id == employeeId && e.IsEnabled
                && db.Memberships.Any(m => m.EmployeeId == e.Id && m.TakesCalls && (m.HasAccess || e.IsMain)))
            .Select(e => e.Name)
            .SingleOrDefaultAsync(ct);
    }

    private static string ReasonKey(RegistrationReason reason) => NotificationText.Key($"Registration.Reason.{reason}");
}
