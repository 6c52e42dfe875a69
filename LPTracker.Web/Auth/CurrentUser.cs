using LPTracker.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace LPTracker.Web.Auth;

/// <summary>The signed-in caller of this circuit or request, for passing to Core services.</summary>
public sealed class CurrentUser(AuthenticationStateProvider auth, AccessService access)
{
    /// <summary>The caller, or null when nobody is signed in.</summary>
    public async Task<CallerContext?> GetCallerAsync()
    {
        var state = await auth.GetAuthenticationStateAsync();
        return Claims.Caller(state.User);
    }

    /// <summary>The caller's fresh profile (rights, current project), or null.</summary>
    public async Task<CallerProfile?> GetProfileAsync(CancellationToken ct = default) =>
        await GetCallerAsync() is { } caller ? await access.GetProfileAsync(caller, ct) : null;
}
