using LPTracker.Core.Notifications;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// "During the working day" for the phone-offline notification: Monday to Friday (or every day with <see cref="NotificationOptions.IncludeWeekends"/>), from
/// <see cref="NotificationOptions.WorkdayStart"/> to <see cref="NotificationOptions.WorkdayEnd"/> in
/// <see cref="NotificationOptions.TimeZone"/> (decision 0028: accounts have no time zone or schedule of their own yet).
/// </summary>
public static class WorkingDay
{
    /// <summary>True when <paramref name="utc"/> falls in the working day.</summary>
    public static bool Contains(DateTime utc, NotificationOptions options)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone(options.TimeZone));
        return (options.IncludeWeekends || local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            && local.TimeOfDay >= options.WorkdayStart && local.TimeOfDay < options.WorkdayEnd;
    }

    /// <summary>The zone by IANA id; UTC when the id is unknown (a misconfiguration must not stop notifications).</summary>
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
