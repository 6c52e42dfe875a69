using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Web.Auth;

namespace LPTracker.Web.Crm;

/// <summary>CSV and XLSX downloads of the leads, deals and contacts lists; Core checks the rights before the first byte.</summary>
public static class ExportEndpoints
{
    public static void MapCrmExportEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
        {
            var extension = format.ToString().ToLowerInvariant();
            app.MapGet($"/export/leads.{extension}", async (HttpContext http, CrmExport export, LeadView? view, LeadOwnerFilter? owner, int? stage,
                bool? overdue, string? q, CancellationToken ct) =>
            {
                var filter = new LeadListQuery(view ?? LeadView.Leads, owner ?? LeadOwnerFilter.All, stage, overdue ?? false, q);
                await WriteAsync(http, $"leads.{extension}", (caller, body) => export.WriteLeadsAsync(caller, filter, format, body, ct), format);
            }).RequireAuthorization();

            app.MapGet($"/export/contacts.{extension}", async (HttpContext http, CrmExport export, string? q, CancellationToken ct) =>
                await WriteAsync(http, $"contacts.{extension}", (caller, body) => export.WriteContactsAsync(caller, q, format, body, ct), format))
                .RequireAuthorization();
        }
    }

    /// <summary>Link to the CSV of a leads or deals list with its current filter.</summary>
    public static string LeadsUrl(LeadListQuery filter, ExportFormat format = ExportFormat.Csv) =>
        $"/export/leads.{format.ToString().ToLowerInvariant()}?view={filter.View}&owner={filter.Owner}&overdue={filter.OverdueOnly}"
        + (filter.StageId is { } s ? $"&stage={s}" : "") + (string.IsNullOrWhiteSpace(filter.Search) ? "" : $"&q={Uri.EscapeDataString(filter.Search)}");

    /// <summary>Link to the CSV of the contacts list with its current search.</summary>
    public static string ContactsUrl(string? search, ExportFormat format = ExportFormat.Csv) =>
        $"/export/contacts.{format.ToString().ToLowerInvariant()}" + (string.IsNullOrWhiteSpace(search) ? "" : $"?q={Uri.EscapeDataString(search)}");

    /// <summary>Sends a CSV (or XLSX) written by Core, or 403 with its localised reason when Core refuses before writing.</summary>
    internal static async Task WriteAsync(HttpContext http, string fileName, Func<LPTracker.Core.Security.CallerContext, Stream, Task<LPTracker.Core.OperationResult>> write,
        ExportFormat format = ExportFormat.Csv)
    {
        if (Claims.Caller(http.User) is not { } caller)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        http.Response.ContentType = format == ExportFormat.Xlsx
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var result = await write(caller, http.Response.Body);
        if (!result.Succeeded && !http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = default;
            await http.Response.WriteAsync(result.Summary);
        }
    }
}
