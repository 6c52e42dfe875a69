using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace LPTracker.Web;

/// <summary>/health answers JSON with each check's status and description.</summary>
public static class HealthResponse
{
    public static readonly HealthCheckOptions Options = new()
    {
        ResponseWriter = async (http, report) =>
        {
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description,
                    data = e.Value.Data,
                }),
            });
        },
    };
}
