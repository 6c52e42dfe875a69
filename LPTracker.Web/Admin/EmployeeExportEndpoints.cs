using LPTracker.Core.Employees;
using LPTracker.Core.Employees.Bulk;
using LPTracker.Web.Crm;

namespace LPTracker.Web.Admin;

/// <summary>
/// The Employees list's downloads: <c>/employees/export.csv</c> with the list's scope and search, or <c>ids</c> for
/// the ticked rows. Core checks the Employees section and the Export permission before the first byte.
/// </summary>
public static class EmployeeExportEndpoints
{
    public const string CsvPath = "/employees/export.csv";

    public const string XlsxPath = "/employees/export.xlsx";

    public static void MapEmployeeExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(CsvPath, async (HttpContext http, EmployeeExport export, EmployeeListScope? scope, string? q, string? ids,
            CancellationToken ct) =>
        {
            var selection = SelectionOf(scope, q, ids);
            await ExportEndpoints.WriteAsync(http, "employees.csv", (caller, body) => export.WriteCsvAsync(caller, selection, body, ct));
        }).RequireAuthorization();

        app.MapGet(XlsxPath, async (HttpContext http, EmployeeExport export, EmployeeListScope? scope, string? q, string? ids,
            CancellationToken ct) =>
        {
            var selection = SelectionOf(scope, q, ids);
            await ExportEndpoints.WriteAsync(http, "employees.xlsx", (caller, body) => export.WriteXlsxAsync(caller, selection, body, ct),
                LPTracker.Core.Crm.ExportFormat.Xlsx);
        }).RequireAuthorization();
    }

    /// <summary>The link for what the list shows (scope and search) or for the ticked rows, as CSV or XLSX.</summary>
    public static string Url(EmployeeSelection selection, bool xlsx = false) => (xlsx ? XlsxPath : CsvPath) + (selection.AllMatching
        ? $"?scope={selection.Scope}" + (string.IsNullOrWhiteSpace(selection.Search) ? "" : $"&q={Uri.EscapeDataString(selection.Search)}")
        : $"?ids={string.Join(',', selection.Ids)}");

    private static EmployeeSelection SelectionOf(EmployeeListScope? scope, string? q, string? ids) =>
        ParseIds(ids) is { } list ? new EmployeeSelection(list) : EmployeeSelection.Matching(scope ?? EmployeeListScope.Project, q);

    private static List<int>? ParseIds(string? ids)
    {
        if (string.IsNullOrWhiteSpace(ids))
        {
            return null;
        }

        var list = new List<int>();
        foreach (var part in ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(EmployeeSelection.MaxRows))
        {
            if (int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                list.Add(id);
            }
        }

        return list;
    }
}
