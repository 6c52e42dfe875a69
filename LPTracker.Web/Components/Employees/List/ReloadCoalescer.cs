namespace LPTracker.Web.Components.Employees.List;

/// <summary>
/// Turns a burst of change notifications into at most one reload per window: the first change after a quiet
/// period reloads at once, later ones within the window share one trailing reload. Changes that arrive while a
/// reload runs schedule another, so the last change is never lost.
/// </summary>
public sealed class ReloadCoalescer(TimeSpan window, Func<Task> reload, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _scheduled;
    private long _lastStart = long.MinValue;

    /// <summary>Asks for a reload; cheap and safe to call from any thread.</summary>
    public void Request()
    {
        if (_stop.IsCancellationRequested || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            var last = Interlocked.Read(ref _lastStart);
            var wait = last == long.MinValue ? TimeSpan.Zero : window - time.GetElapsedTime(last);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, _stop.Token);
            }

            Interlocked.Exchange(ref _lastStart, time.GetTimestamp());
            Volatile.Write(ref _scheduled, 0);
            await reload();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The list was closed while a reload was pending.
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _scheduled, 0);
            logger.LogWarning(ex, "Live reload of the employees list failed");
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
