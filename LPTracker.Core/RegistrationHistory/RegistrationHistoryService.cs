using System.Globalization;
using LPTracker.Core.Export;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>One line of the timeline.</summary>
public sealed record RegistrationLine(
    DateTime AtUtc, bool Online, Telephony.RegistrationReason Reason, string? Device, string? Address, string? Transport, int Folded);

/// <summary>An employee's registration history as the editor shows it.</summary>
public sealed record RegistrationHistoryView(IReadOnlyList<RegistrationLine> Lines, TimeSpan OnlineToday, TimeSpan OnlineThisWeek);

/// <summary>
/// Reads an employee's registration history for whoever may open that employee's editor: the Employees section,
/// and for the main account only the main account itself (the editor's own rule). Always within the caller's account.
/// </summary>
public sealed class RegistrationHistoryService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    IOptions<RegistrationHistoryOptions> options,
    TimeProvider time,
    IStringLocalizer<RegistrationHistoryService> l)
{
    /// <summary>The timeline of the last <paramref name="days"/> days (newest first) with today's and this week's
    /// (from Monday) online time in <paramref name="zone"/>; null when the caller may not see the employee.</summary>
    public async Task<RegistrationHistoryView?> GetAsync(CallerContext caller, int employeeId, TimeZoneInfo zone, int days = 7,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (!await MayViewAsync(db, caller, employeeId, ct))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var today = StartOfLocalDay(now, zone);
        var week = today.AddDays(-(((int)TimeZoneInfo.ConvertTimeFromUtc(now, zone).DayOfWeek + 6) % 7));
        var from = Min(week, now.AddDays(-Math.Clamp(days, 1, options.Value.RetentionDays)));
        var rows = await Rows(db, employeeId).Where(r => r.AtUtc >= from).OrderBy(r => r.AtUtc).ThenBy(r => r.Id).ToListAsync(ct);
        var before = await Rows(db, employeeId).Where(r => r.AtUtc < from).OrderByDescending(r => r.AtUtc).ThenByDescending(r => r.Id)
            .Select(r => (bool?)r.Online).FirstOrDefaultAsync(ct) ?? false;
        var points = rows.Select(r => (r.AtUtc, r.Online)).ToList();
        var shownFrom = now.AddDays(-Math.Clamp(days, 1, options.Value.RetentionDays));
        var lines = rows.Where(r => r.AtUtc >= shownFrom).OrderByDescending(r => r.AtUtc).ThenByDescending(r => r.Id)
            .Select(r => new RegistrationLine(r.AtUtc, r.Online, r.Reason, r.Device, r.Address, r.Transport, r.Folded)).ToList();
        return new RegistrationHistoryView(
            lines,
            OnlineTime.Within(StateAt(before, points, today), points.Where(p => p.AtUtc >= today), today, today.AddDays(1), now),
            OnlineTime.Within(StateAt(before, points, week), points.Where(p => p.AtUtc >= week), week, week.AddDays(7), now));
    }

    /// <summary>Writes the retained history (oldest first) as CSV; false when the caller may not see the employee.</summary>
    public async Task<bool> ExportCsvAsync(CallerContext caller, int employeeId, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (!await MayViewAsync(db, caller, employeeId, ct))
        {
            return false;
        }

        await using var csv = CsvWriter.Create(output);
        await csv.WriteRowAsync(l["Registration.Column.Time"], l["Registration.Column.State"], l["Registration.Column.Reason"],
            l["Registration.Column.Device"], l["Registration.Column.Address"], l["Registration.Column.Transport"],
            l["Registration.Column.Folded"]);
        await foreach (var r in Rows(db, employeeId).OrderBy(r => r.AtUtc).ThenBy(r => r.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            await csv.WriteRowAsync(
                r.AtUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
                l[r.Online ? "Registration.Online" : "Registration.Offline"], l[$"Registration.Reason.{r.Reason}"],
                r.Device, r.Address, r.Transport, r.Folded.ToString(CultureInfo.InvariantCulture));
        }

        return true;
    }

    /// <summary>The editor's rule: the Employees section; the main account's history only to the main account.</summary>
    private async Task<bool> MayViewAsync(LptrackerDbContext db, CallerContext caller, int employeeId, CancellationToken ct)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return false;
        }

        var target = await db.Employees.Where(e => e.Id == employeeId).Select(e => new { e.IsMain }).SingleOrDefaultAsync(ct);
        return target is not null && (!target.IsMain || profile.IsMain);
    }

    private static IQueryable<RegistrationEntry> Rows(LptrackerDbContext db, int employeeId) =>
        db.RegistrationEntries.AsNoTracking().Where(r => r.EmployeeId == employeeId);

    private static bool StateAt(bool before, List<(DateTime AtUtc, bool Online)> points, DateTime at) =>
        points.LastOrDefault(p => p.AtUtc < at) is { AtUtc.Ticks: > 0 } last ? last.Online : before;

    private static DateTime StartOfLocalDay(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone).Date;
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
