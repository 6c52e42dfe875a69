using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Web.Auth;

/// <summary>Plain HTTP endpoints: sign-out, the language switch and employee photos.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post from another site must not sign anybody out: the sign-out form carries the antiforgery token.
        app.MapPost("/account/logout", async (HttpContext http, IAntiforgery antiforgery, SignInService signIn, Hubs.HubConnections hubs) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            if (Claims.Caller(http.User) is { } caller)
            {
                await signIn.SignOutEverywhereAsync(caller.EmployeeId, http.RequestAborted);
                hubs.Close(caller.EmployeeId);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/account/login");
        });

        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            var supported = culture switch { "en" or "en-US" => "en-US", _ => "ru-RU" };
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(supported)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        });
    }

    public static void MapPhotoEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/photos/{employeeId:int}", async (int employeeId, HttpContext http,
            IDbContextFactory<LptrackerDbContext> dbFactory, DataFolderPath data, CancellationToken ct) =>
        {
            if (Claims.Caller(http.User) is not { } caller)
            {
                return Results.Unauthorized();
            }

            await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
            var file = await db.Employees.Where(e => e.Id == employeeId).Select(e => e.PhotoFile).SingleOrDefaultAsync(ct);
            var path = file is null ? null : PhotoStore.PathOf(data.Path, file);
            if (path is null || !File.Exists(path))
            {
                return Results.NotFound();
            }

            // A person's photo behind a sign-in: browsers may keep it, shared caches must not; revalidated every time
            // because the URL stays the same when the photo changes.
            http.Response.Headers.CacheControl = "private, no-cache";
            return Results.File(path, "image/jpeg", lastModified: File.GetLastWriteTimeUtc(path));
        }).RequireAuthorization();
    }

    /// <summary>
    /// Only local paths are followed after sign-in or a language switch (no open redirect); anything else — including
    /// control or non-ASCII characters, which cannot go into a Location header — falls back to the start page.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && returnUrl.All(c => c is > ' ' and < '\x7f')
            ? returnUrl
            : "/";
}

/// <summary>Where employee photos live under the data folder.</summary>
public static class PhotoStore
{
    /// <summary>The full path of a stored photo; null when the name is not one we would have written.</summary>
    public static string? PathOf(string dataFolder, string fileName) =>
        fileName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') && !fileName.Contains("..", StringComparison.Ordinal)
            ? Path.Combine(dataFolder, "photos", fileName)
            : null;
}
