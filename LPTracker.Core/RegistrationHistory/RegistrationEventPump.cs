using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// Drains <see cref="RegistrationEventSink"/>: writes whatever has queued up as one batch of history, then hands what
/// may notify the administrators to <see cref="RegistrationAlertQueue"/> without waiting (decision 0081).
/// </summary>
public sealed class RegistrationEventPump(
    RegistrationEventSink sink,
    RegistrationHistoryWriter writer,
    RegistrationAlertQueue alerts,
    ISipPresenceSource presence,
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
        try
        {
            // Started with the host, while the registrar warms up and before its port binds: the storm of first
            // registrations after a restart finds this path compiled (decision 0087).
            await writer.WarmUpAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            // Only time is lost: the first real batch pays for what the warm-up would have compiled.
            logger.LogWarning(ex, "Could not warm up the registration history writer");
        }

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

        // Notifications read and write per account and reach every administrator's page: done here, a flood of them
        // held up this loop until the history queue overflowed (18,001 events dropped at 1,000 changes/s, bench/fanout).
        foreach (var e in batch)
        {
            alerts.Offer(e);
        }
    }

    /// <summary>A ban of one user is a line in that employee's history; it does not change their state by itself.</summary>
    private RegistrationTransition BanRow(RegistrarBanEvent ban, int employeeId) =>
        new(ban.AccountId, employeeId, presence.Get(employeeId).Status == SipStatus.Online, RegistrationReason.Banned, ban.AtUtc,
            null, ban.Address, null);
}
