using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace LPTracker.Web.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the sign-in and sign-up form posts, per client address:
/// <c>SignIn:PermitLimit</c> posts (default 10) per <c>SignIn:Window</c> (default 1 minute). Together with the
/// per-address lockout it stops one address from guessing passwords or spraying many logins (decision 0012).
/// Behind a reverse proxy every client has the proxy's address — configure forwarded headers there first.
/// </summary>
public static class SignInRateLimit
{
    private static readonly string[] LimitedPaths = ["/account/login", "/account/signup"];

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("SignIn:PermitLimit", 10);
        var window = configuration.GetValue("SignIn:Window", TimeSpan.FromMinutes(1));
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                HttpMethods.IsPost(http.Request.Method) && LimitedPaths.Contains(http.Request.Path.Value, StringComparer.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SignInRateLimitMarker>>();
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(l["Login.TooManyAttempts"], ct);
            };
        });
    }

    /// <summary>The type the rejection message's localizer is created for (the catalogue is one for all).</summary>
    public sealed class SignInRateLimitMarker;
}
