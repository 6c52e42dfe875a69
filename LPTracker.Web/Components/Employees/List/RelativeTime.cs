using Microsoft.Extensions.Localization;

namespace LPTracker.Web.Components.Employees.List;

/// <summary>"5 min ago" for the Last login column; the exact time goes to the tooltip.</summary>
public static class RelativeTime
{
    public static string Format(DateTime utc, DateTime nowUtc, IStringLocalizer l)
    {
        var ago = nowUtc - utc;
        return ago switch
        {
            { TotalMinutes: < 1 } => l["EmployeeList.Time.JustNow"],
            { TotalHours: < 1 } => l["EmployeeList.Time.Minutes", (int)ago.TotalMinutes],
            { TotalDays: < 1 } => l["EmployeeList.Time.Hours", (int)ago.TotalHours],
            { TotalDays: < 2 } => l["EmployeeList.Time.Yesterday"],
            { TotalDays: < 30 } => l["EmployeeList.Time.Days", (int)ago.TotalDays],
            _ => utc.ToString("d", System.Globalization.CultureInfo.CurrentCulture),
        };
    }
}
