using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using LPTracker.Core.Security;
using LPTracker.Web.Auth;
using LPTracker.Web.Components.Shell;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Services;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// A bUnit context wired like the console: MudBlazor with no transitions, the real string catalogue, and the real
/// Core services of a <see cref="CoreTestHost"/> (real SQLite file), signed in as <see cref="SignInAs"/>'s caller.
/// </summary>
public class ConsoleBunitContext : BunitContext
{
    public ConsoleBunitContext(CoreTestHost core, string culture = "ru-RU")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        Core = core;
        // bUnit's WaitFor… default is 1 s: a render that queries a real SQLite file on CI's 2 cores, shared with the
        // whole suite, was seen to take longer. The waits are for behaviour; latency figures are bench/'s.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = true;
        });
        Services.AddSingleton<IStringLocalizerFactory>(new LPTracker.Core.Localization.JsonStringLocalizerFactory(
            [typeof(LPTracker.Core.CoreExtensions).Assembly, typeof(LPTracker.Web.WebExtensions).Assembly]));
        Services.AddSingleton(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        Services.AddTransient<MudLocalizer, LPTracker.Web.Localization.MudCatalogueLocalizer>();
        // bUnit registers a clock of its own; components must read the Core host's test clock.
        Services.AddSingleton<TimeProvider>(core.Time);

        // Share the Core host's singletons (services, DbContext factory, clock, notifier) with the components.
        foreach (var type in core.Descriptors.Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.ServiceType.IsGenericTypeDefinition)
                     .Select(d => d.ServiceType).Distinct().Where(t => !Services.Any(d => d.ServiceType == t)))
        {
            Services.AddSingleton(type, _ => core.Services.GetRequiredService(type));
        }

        Services.AddOptions();
        Services.AddScoped<LPTracker.Web.Admin.LinkBase>(); // the editor's invitation block builds links with it
        Services.AddScoped<CurrentUser>();
        Services.AddScoped<ShellState>();
        Auth = AddAuthorization();
    }

    public CoreTestHost Core { get; }

    public BunitAuthorizationContext Auth { get; }

    /// <summary>Signs the circuit in as <paramref name="caller"/> (claims as the cookie would carry them).</summary>
    public void SignInAs(CallerContext caller)
    {
        Auth.SetAuthorized($"employee-{caller.EmployeeId}");
        Auth.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, caller.EmployeeId.ToString(CultureInfo.InvariantCulture)),
            new Claim(Claims.Account, caller.AccountId.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Renders the popover provider that menus and selects need; find their items on it.</summary>
    public IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();
}
