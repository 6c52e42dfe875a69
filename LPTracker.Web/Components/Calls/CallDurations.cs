namespace LPTracker.Web.Components.Calls;

/// <summary>Call durations as people read them: <c>0:42</c>, <c>12:05</c>, <c>1:02:03</c>.</summary>
public static class CallDurations
{
    public static string Format(TimeSpan duration)
    {
        var d = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        return d.TotalHours >= 1
            ? $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}"
            : $"{d.Minutes}:{d.Seconds:00}";
    }
}
