using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LPTracker.Core.Security;
using LPTracker.Web.Auth;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LPTracker.Web;

/// <summary>
/// /health: to anyone, only <c>Healthy</c> or <c>Unhealthy</c> (a liveness probe); each check's status, description
/// and data (SIP listeners, registrations) only to a signed-in main account or a monitor presenting
/// <c>Authorization: Bearer {Health:Token}</c>.
/// </summary>
public static class HealthResponse
{
    public static readonly HealthCheckOptions Options = new()
    {
        ResponseWriter = async (http, report) =>
        {
            if (!await MaySeeDetailsAsync(http))
            {
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync(report.Status == HealthStatus.Unhealthy ? "Unhealthy" : "Healthy");
                return;
            }

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

    private static async Task<bool> MaySeeDetailsAsync(HttpContext http)
    {
        var token = http.RequestServices.GetRequiredService<IConfiguration>()["Health:Token"];
        var header = http.Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(token) && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && TokensEqual(header["Bearer ".Length..], token))
        {
            return true;
        }

        return Claims.Caller(http.User) is { } caller
            && await http.RequestServices.GetRequiredService<AccessService>().GetProfileAsync(caller, http.RequestAborted) is { IsMain: true };
    }

    /// <summary>Constant-time: hashing first makes the comparison independent of where (and whether) lengths differ.</summary>
    internal static bool TokensEqual(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
