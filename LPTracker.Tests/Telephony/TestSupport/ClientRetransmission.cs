namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>
/// The retransmission schedule of a UDP client transaction (RFC 3261 §17.1.2.2) for the test phones: the request is
/// sent again after T1 = 0.5 s, the interval doubling up to T2 = 4 s, until its answer arrives or the caller gives up
/// (Timer F = 64·T1 = 32 s for a real phone). A request the kernel dropped (a socket buffer full under a flood) or
/// answered late (CI's loaded 2 cores) is retried as a phone would, never read as a missing answer after a fixed few
/// seconds.
/// </summary>
internal static class ClientRetransmission
{
    public static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan T2 = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan TimerF = 64 * T1;

    /// <summary>
    /// Calls <paramref name="send"/>, then <paramref name="answer"/> with a token cancelled at the next retransmission
    /// (or at <paramref name="giveUp"/>, whichever is first), and again until <paramref name="answer"/> returns.
    /// <paramref name="answer"/> reads until the matching response (skipping others) and throws
    /// <see cref="OperationCanceledException"/> when its token fires; the give-up surfaces as that exception too.
    /// </summary>
    public static async Task<T> SendUntilAnsweredAsync<T>(
        Func<CancellationToken, Task> send, Func<CancellationToken, Task<T>> answer, CancellationToken giveUp)
    {
        var interval = T1;
        while (true)
        {
            await send(giveUp);
            using var window = CancellationTokenSource.CreateLinkedTokenSource(giveUp);
            window.CancelAfter(interval);
            interval = interval * 2 < T2 ? interval * 2 : T2;
            try
            {
                return await answer(window.Token);
            }
            catch (OperationCanceledException) when (!giveUp.IsCancellationRequested)
            {
                // No answer within this interval: retransmit.
            }
        }
    }
}
