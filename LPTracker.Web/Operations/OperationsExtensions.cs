using LPTracker.Telephony.Diagnostics;
using LPTracker.Web.Auth;
using Microsoft.AspNetCore.Components.Server.Circuits;
using OpenTelemetry.Metrics;

namespace LPTracker.Web.Operations;

/// <summary>
/// Metrics for operators: OpenTelemetry meters (SIP, console gauges, ASP.NET Core request durations, the runtime's
/// own: working set, managed heap by generation, GC pauses, thread pool) on a Prometheus
/// endpoint <c>/metrics</c> that answers only on <c>Metrics:Port</c> and/or with <c>Authorization: Bearer
/// {Metrics:Token}</c> — with neither set it is off, never public by default. And log scopes with the caller's ids.
/// </summary>
public static class OperationsExtensions
{
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsoleMetrics>();
        builder.Services.AddScoped<CircuitHandler, MetricsCircuitHandler>();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(SipMetrics.MeterName, ConsoleMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                "System.Runtime")
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Put first in the pipeline: the scrape is answered before anything else runs.</summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ConsoleMetrics>();
        var port = app.Configuration.GetValue<int?>("Metrics:Port");
        var token = app.Configuration["Metrics:Token"];
        if (port is null && string.IsNullOrEmpty(token))
        {
            return app;
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(http =>
            http.Request.Path == "/metrics"
            && (port is null || http.Connection.LocalPort == port)
            && (string.IsNullOrEmpty(token) || (http.Request.Headers.Authorization.ToString() is var header
                && header.StartsWith("Bearer ", StringComparison.Ordinal) && HealthResponse.TokensEqual(header["Bearer ".Length..], token))));
        return app;
    }

    /// <summary>After authentication: every log line of a signed-in request carries <c>AccountId</c> and <c>EmployeeId</c>.</summary>
    public static IApplicationBuilder UseCallerLogScope(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (Claims.Caller(http.User) is not { } caller)
        {
            await next(http);
            return;
        }

        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LPTracker.Web.Request");
        using (logger.BeginScope(new Dictionary<string, object> { ["AccountId"] = caller.AccountId, ["EmployeeId"] = caller.EmployeeId }))
        {
            await next(http);
        }
    });
}
