using System.Security.Claims;
using Bunit;
using LPTracker.Core;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Web;
using LPTracker.Web.Auth;
using LPTracker.Web.Components.Pages.Employees;
using LPTracker.Web.Components.Shell;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace LPTracker.Tests.Web.Employees;

/// <summary>
/// bUnit context for the Employees list: real Core services over a temp SQLite file (from
/// <see cref="ListTestHost"/>), MudBlazor with zero transitions, and a signed-in caller.
/// </summary>
internal sealed class ListPageContext : IAsyncDisposable
{
    private ListPageContext(ListTestHost host, BunitContext bunit)
    {
        Host = host;
        Bunit = bunit;
    }

    public ListTestHost Host { get; }

    public BunitContext Bunit { get; }

    public static async Task<ListPageContext> CreateAsync()
    {
        var host = await ListTestHost.CreateAsync();
        var bunit = new BunitContext();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        var services = bunit.Services;
        services.AddMudServices(c =>
        {
            c.SnackbarConfiguration.ShowTransitionDuration = 0;
            c.SnackbarConfiguration.HideTransitionDuration = 0;
            c.PopoverOptions.ThrowOnDuplicateProvider = false;
        });
        services.AddLocalizationCatalogue(typeof(CoreExtensions).Assembly);
        services.AddLocalizationCatalogue(typeof(WebExtensions).Assembly);
        services.AddTransient<MudLocalizer, LPTracker.Web.Localization.MudCatalogueLocalizer>();
        services.AddSingleton(host.List);
        services.AddSingleton(host.Notifier);
        services.AddSingleton<TimeProvider>(host.Time);
        services.AddSingleton(host.Services.GetRequiredService<AccessService>());
        services.AddSingleton(host.Services.GetRequiredService<ProjectService>());
        services.AddScoped<CurrentUser>();
        services.AddScoped<ShellState>();
        return new ListPageContext(host, bunit);
    }

    public void SignIn(CallerContext caller)
    {
        var auth = Bunit.AddAuthorization();
        auth.SetAuthorized("test");
        auth.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, caller.EmployeeId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(Claims.Account, caller.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Renders the providers first (menus and dialogs live there), then the page.</summary>
    public (IRenderedComponent<MudPopoverProvider> Popovers, IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<EmployeeList> Page) Render()
    {
        Bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var popovers = Bunit.Render<MudPopoverProvider>();
        var dialogs = Bunit.Render<MudDialogProvider>();
        var page = Bunit.Render<EmployeeList>();
        return (popovers, dialogs, page);
    }

    public ChangeNotifier Notifier => Host.Notifier;

    public EmployeeListService List => Host.List;

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await Host.DisposeAsync();
    }
}
