using System.Globalization;
using LPTracker.Core.Audit;
using LPTracker.Web.Auth;

namespace LPTracker.Web.Admin;

/// <summary>The audit log's CSV download (a plain GET the page links to, with the page's filters).</summary>
public static class AuditEndpoints
{
    public const string ExportPath = "/audit/export.csv";

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ExportPath, async (HttpContext http, AuditLogService log, int? actor, int? target, AuditAction? action,
            string? from, string? to, CancellationToken ct) =>
        {
            if (Claims.Caller(http.User) is not { } caller)
            {
                return Results.Unauthorized();
            }

            var filter = new AuditFilter(actor, target, action, ParseDate(from), ParseDate(to)?.AddDays(1).AddTicks(-1));
            using var buffer = new MemoryStream();
            if (!await log.ExportCsvAsync(caller, filter, buffer, ct))
            {
                return Results.Forbid();
            }

            return Results.File(buffer.ToArray(), "text/csv; charset=utf-8", $"audit-{DateTime.UtcNow:yyyyMMdd}.csv");
        }).RequireAuthorization();

    /// <summary>A <c>yyyy-MM-dd</c> date from the query, or null when absent or malformed.</summary>
    public static DateTime? ParseDate(string? value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
            ? d
            : null;
}
