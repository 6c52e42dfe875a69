using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Web.Auth;

namespace LPTracker.Web.Crm;

/// <summary>CSV downloads of the leads, deals and contacts lists; Core checks the rights before the first byte.</summary>
public static class ExportEndpoints
{
    public static void MapCrmExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/export/leads.csv", async (HttpContext http, CrmExport export, LeadView? view, LeadOwnerFilter? owner, int? stage,
            bool? overdue, string? q, CancellationToken ct) =>
        {
            var filter = new LeadListQuery(view ?? LeadView.Leads, owner ?? LeadOwnerFilter.All, stage, overdue ?? false, q);
            await WriteAsync(http, "leads.csv", (caller, body) => export.WriteLeadsAsync(caller, filter, body, ct));
        }).RequireAuthorization();

        app.MapGet("/export/contacts.csv", async (HttpContext http, CrmExport export, string? q, CancellationToken ct) =>
            await WriteAsync(http, "contacts.csv", (caller, body) => export.WriteContactsAsync(caller, q, body, ct))).RequireAuthorization();
    }

    /// <summary>Link to the CSV of a leads or deals list with its current filter.</summary>
    public static string LeadsUrl(LeadListQuery filter) =>
        $"/export/leads.csv?view={filter.View}&owner={filter.Owner}&overdue={filter.OverdueOnly}"
        + (filter.StageId is { } s ? $"&stage={s}" : "") + (string.IsNullOrWhiteSpace(filter.Search) ? "" : $"&q={Uri.EscapeDataString(filter.Search)}");

    /// <summary>Link to the CSV of the contacts list with its current search.</summary>
    public static string ContactsUrl(string? search) =>
        "/export/contacts.csv" + (string.IsNullOrWhiteSpace(search) ? "" : $"?q={Uri.EscapeDataString(search)}");

    /// <summary>Sends a CSV written by Core, or 403 with its localised reason when Core refuses before writing.</summary>
    internal static async Task WriteAsync(HttpContext http, string fileName, Func<LPTracker.Core.Security.CallerContext, Stream, Task<LPTracker.Core.OperationResult>> write)
    {
        if (Claims.Caller(http.User) is not { } caller)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
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
