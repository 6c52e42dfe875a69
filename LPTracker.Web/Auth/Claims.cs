using System.Security.Claims;
using LPTracker.Core.Accounts;
using LPTracker.Core.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LPTracker.Web.Auth;

/// <summary>The claims the auth cookie carries, and how to read them back.</summary>
public static class Claims
{
    public const string Account = "lpt:account";
    public const string Stamp = "lpt:stamp";

    public static ClaimsPrincipal Principal(SignedInEmployee e) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, e.EmployeeId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, e.Name),
            new Claim(Account, e.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(Stamp, e.SecurityStamp),
        ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>The caller of a signed-in principal, or null for an anonymous or malformed one.</summary>
    public static CallerContext? Caller(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && int.TryParse(user.FindFirstValue(Account), out var account)
        && int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var employee)
            ? new CallerContext(account, employee)
            : null;
}
