using LPTracker.Core.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LPTracker.Core.Calls;

/// <summary>
/// Drains <see cref="CallEventSink"/>'s queues: the live loop raises pop-ups and list refreshes one event at a time
/// (in order, so a card never closes before it opens); the log loop writes whatever has queued up as one batch.
/// </summary>
public sealed class CallEventPump(
    CallEventSink sink,
    IncomingCallPopUps popUps,
    CallLogWriter writer,
    ChangeNotifier notifier,
    ILogger<CallEventPump> logger) : BackgroundService
{
    /// <summary>The most events written in one transaction.</summary>
    public const int MaxBatch = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(LiveLoopAsync(stoppingToken), LogLoopAsync(stoppingToken));

    private async Task LiveLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var work in sink.LiveQueue.ReadAllAsync(ct))
            {
                await ShowAsync(work, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ShowAsync(LiveWork work, CancellationToken ct)
    {
        try
        {
            foreach (var employeeId in work.StateChanged)
            {
                notifier.Publish(new EmployeeChange(work.AccountId, employeeId, EmployeeChangeKind.CallState));
            }

            switch (work.Event)
            {
                case CallLegEvent ringing:
                    await popUps.RingingAsync(ringing, ct);
                    break;
                case LegAnswered answered:
                    popUps.CloseCall(answered.Leg.CallId);
                    break;
                case CallLegEndedEvent ended:
                    popUps.Close(ended.LegId);
                    break;
                case CallEndedEvent ended:
                    popUps.CloseCall(ended.CallId);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Live call event {Event} of account {AccountId} was not shown", work.Event.GetType().Name, work.AccountId);
        }
    }

    private async Task LogLoopAsync(CancellationToken ct)
    {
        var batch = new List<object>(MaxBatch);
        try
        {
            while (await sink.LogQueue.WaitToReadAsync(ct))
            {
                while (batch.Count < MaxBatch && sink.LogQueue.TryRead(out var e))
                {
                    batch.Add(e);
                }

                await WriteAsync(batch, ct);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down; what is still queued is lost with the calls it describes.
        }
    }

    private async Task WriteAsync(List<object> batch, CancellationToken ct)
    {
        try
        {
            await writer.WriteAsync(batch, ct);
        }
        catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(ex, "{Count} call log events could not be written", batch.Count);
        }
    }
}
