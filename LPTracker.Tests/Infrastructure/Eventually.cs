namespace LPTracker.Tests.Infrastructure;

/// <summary>Waits for something that happens on another thread (a queue drained, a row written), with a generous limit.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeout"/> (10 s by default).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > limit)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for a task, failing the test after <paramref name="timeout"/> (10 s by default).</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var done = await Task.WhenAny(task, Task.Delay(timeout ?? TimeSpan.FromSeconds(10)));
        Assert.True(done == task, $"Timed out waiting for: {what}");
        return await task;
    }
}
