using LPTracker.Core.RegistrationHistory;

namespace LPTracker.Tests.Core.RegistrationHistory;

public sealed class OnlineTimeTests
{
    private static readonly DateTime Day = new(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>(online before, transitions as "HH:mm+" online / "HH:mm-" offline, now as HH:mm, expected minutes) over [00:00, 24:00).</summary>
    public static TheoryData<bool, string, string, int> Cases => new()
    {
        { false, "", "12:00", 0 },
        { true, "", "12:00", 720 },                        // online since before the day, still online at noon
        { true, "", "30:00", 1440 },                       // the whole day, never past its end
        { false, "09:00+ 10:30-", "12:00", 90 },
        { false, "09:00+", "09:45", 45 },                  // still online: counted up to now, not to the day's end
        { true, "08:00-", "12:00", 480 },                  // went offline at 08:00 after being online all night
        { false, "09:00+ 09:00+ 10:00-", "12:00", 60 },    // a repeated "online" changes nothing
        { false, "09:00+ 10:00- 10:00- 11:00+", "12:00", 120 },
        { false, "23:30+", "30:00", 30 },                  // online at 23:30, the day ends at 24:00
        { false, "09:00+ 10:00-", "08:00", 0 },            // "now" before anything happened
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Online_time_within_a_day(bool before, string transitions, string now, int expectedMinutes)
    {
        var points = transitions.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => (Day + TimeSpan.Parse(t[..^1], System.Globalization.CultureInfo.InvariantCulture), t[^1] == '+'))
            .ToList();

        var online = OnlineTime.Within(before, points, Day, Day.AddDays(1), Day + Parse(now));

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), online);
    }

    [Fact]
    public void Transitions_before_the_window_only_set_the_state()
    {
        var points = new[] { (Day.AddHours(-3), true), (Day.AddHours(2), false) };

        Assert.Equal(TimeSpan.FromHours(2), OnlineTime.Within(false, points, Day, Day.AddDays(1), Day.AddHours(12)));
    }

    private static TimeSpan Parse(string hhmm)
    {
        var parts = hhmm.Split(':');
        return TimeSpan.FromHours(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture))
            + TimeSpan.FromMinutes(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
