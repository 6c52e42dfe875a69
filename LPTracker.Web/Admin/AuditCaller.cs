using LPTracker.Core.Audit;
using LPTracker.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LPTracker.Web.Admin;

/// <summary>Sets the audit log's ambient caller at the two edges where work enters the app.</summary>
public static class AuditCaller
{
    /// <summary>Every HTTP request (sign-in, exports, provisioning links) runs as its signed-in user, from its address.</summary>
    public static IApplicationBuilder UseAuditCaller(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            using (CallerScope.Begin(Claims.Caller(http.User)?.EmployeeId, http.Connection.RemoteIpAddress?.ToString()))
            {
                await next(http);
            }
        });
}

/// <summary>
/// Every event of an interactive circuit (a click, a form submit) runs as the circuit's user, from the address the
/// circuit was opened from. Blazor runs the rest of the event inside <see cref="CreateInboundActivityHandler"/>,
/// so the ambient value flows to the services the event calls.
/// </summary>
public sealed class AuditCircuitHandler(AuthenticationStateProvider auth, IHttpContextAccessor http) : CircuitHandler
{
    // The circuit is created inside the SignalR connection's request: its address is known here and only here.
    private readonly string? _address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await auth.GetAuthenticationStateAsync();
            using (CallerScope.Begin(Claims.Caller(state.User)?.EmployeeId, _address))
            {
                await next(context);
            }
        };
}
