using System.Globalization;

namespace LPTracker.Web.Components.Leads;

/// <summary>Step dates as people read and type them: stored in UTC, shown and edited in the server's local time.</summary>
public static class LeadFormat
{
    private const string InputFormat = "yyyy-MM-ddTHH:mm";

    /// <summary>
    /// The zone step dates are shown and typed in on the CRM pages (the server's local zone: <c>ToLocalTime</c>,
    /// <c>AssumeLocal</c> below), and in which an import reads them (decision 0041: accounts have no zone of their own).
    /// </summary>
    public static TimeZoneInfo Zone => TimeZoneInfo.Local;

    public static string Date(DateTime? utc) =>
        utc is { } value ? DateTime.SpecifyKind(value, DateTimeKind.Utc).ToLocalTime().ToString("g", CultureInfo.CurrentCulture) : "";

    /// <summary>The value of an <c>input type=datetime-local</c>.</summary>
    public static string? ToInput(DateTime? utc) =>
        utc is { } value ? DateTime.SpecifyKind(value, DateTimeKind.Utc).ToLocalTime().ToString(InputFormat, CultureInfo.InvariantCulture) : null;

    /// <summary>What an <c>input type=datetime-local</c> holds, in UTC; null when empty or unreadable.</summary>
    public static DateTime? FromInput(string? local) =>
        DateTime.TryParseExact(local, InputFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var value)
            ? value.ToUniversalTime()
            : null;
}
