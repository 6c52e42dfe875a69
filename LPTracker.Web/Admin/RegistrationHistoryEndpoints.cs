using LPTracker.Core.RegistrationHistory;
using LPTracker.Web.Auth;

namespace LPTracker.Web.Admin;

/// <summary>The registration history's CSV download (the editor links to it); rights are the editor's, checked by the service.</summary>
public static class RegistrationHistoryEndpoints
{
    public static string ExportPath(int employeeId) => $"/employees/{employeeId}/registrations.csv";

    public static void MapRegistrationHistoryEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/employees/{employeeId:int}/registrations.csv", async (HttpContext http, RegistrationHistoryService history,
            TimeProvider time, int employeeId, CancellationToken ct) =>
        {
            if (Claims.Caller(http.User) is not { } caller)
            {
                return Results.Unauthorized();
            }

            using var buffer = new MemoryStream();
            if (!await history.ExportCsvAsync(caller, employeeId, buffer, ct))
            {
                return Results.Forbid();
            }

            return Results.File(buffer.ToArray(), "text/csv; charset=utf-8", $"registrations-{employeeId}-{time.GetUtcNow():yyyyMMdd}.csv");
        }).RequireAuthorization();
}
