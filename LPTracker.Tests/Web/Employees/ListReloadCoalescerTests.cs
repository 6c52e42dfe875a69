using LPTracker.Web.Components.Employees.List;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Web.Employees;

public sealed class ListReloadCoalescerTests
{
    private readonly FakeTimeProvider _time = new();
    private int _reloads;

    [Fact]
    public void The_first_change_after_a_quiet_period_reloads_at_once()
    {
        using var coalescer = Create();

        coalescer.Request();

        Assert.Equal(1, _reloads);
    }

    [Fact]
    public void A_burst_within_the_window_becomes_one_trailing_reload()
    {
        using var coalescer = Create();
        coalescer.Request();

        for (var i = 0; i < 50; i++)
        {
            coalescer.Request();
        }

        Assert.Equal(1, _reloads);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(2, _reloads);
    }

    [Fact]
    public void Nothing_reloads_after_dispose()
    {
        var coalescer = Create();
        coalescer.Request();
        coalescer.Request();

        coalescer.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));
        coalescer.Request();

        Assert.Equal(1, _reloads);
    }

    private ReloadCoalescer Create() => new(TimeSpan.FromMilliseconds(250), () =>
    {
        Interlocked.Increment(ref _reloads);
        return Task.CompletedTask;
    }, _time, NullLogger.Instance);
}
