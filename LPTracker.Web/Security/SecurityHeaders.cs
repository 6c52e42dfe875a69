namespace LPTracker.Web.Security;

/// <summary>
/// Response headers every answer carries (issue 10, item 6). The Content-Security-Policy allows scripts only from
/// the app itself (no inline script: the import map is not rendered, the app's JS is in <c>app.js</c>); styles need
/// <c>'unsafe-inline'</c> because MudBlazor writes its theme as an inline <c>&lt;style&gt;</c> element and positions
/// popovers, drawers and progress bars through <c>style</c> attributes — see decision 0009.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Task.CompletedTask;
            });
            return next(http);
        });
}
