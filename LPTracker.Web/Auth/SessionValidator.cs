using LPTracker.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LPTracker.Web.Auth;

/// <summary>Rejects a cookie whose employee was deleted or whose password changed (security stamp differs).</summary>
public static class SessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var caller = Claims.Caller(context.Principal);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
        if (caller is null || !await signIn.IsSessionValidAsync(caller.EmployeeId, context.Principal?.FindFirst(Claims.Stamp)?.Value))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
