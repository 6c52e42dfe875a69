using LPTracker.Core.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace LPTracker.Web.Auth;

/// <summary>
/// Re-checks an open circuit's session every 30 seconds, so a deleted employee or one whose password changed
/// loses every open console within a minute.
/// </summary>
public sealed class RevalidatingAuthStateProvider(ILoggerFactory loggerFactory, SignInService signIn)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        var caller = Claims.Caller(state.User);
        return caller is not null && await signIn.IsSessionValidAsync(caller.EmployeeId, state.User.FindFirst(Claims.Stamp)?.Value, ct);
    }
}
