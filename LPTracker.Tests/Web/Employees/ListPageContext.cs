using Bunit;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Employees;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LPTracker.Tests.Web.Employees;

/// <summary>
/// bUnit context for the Employees list: a <see cref="ConsoleBunitContext"/> over a <see cref="ListTestHost"/>
/// (real Core services on a temp SQLite file, presence set by hand).
/// </summary>
internal sealed class ListPageContext : IAsyncDisposable
{
    private ListPageContext(ListTestHost host, ConsoleBunitContext bunit)
    {
        Host = host;
        Bunit = bunit;
    }

    public ListTestHost Host { get; }

    public ConsoleBunitContext Bunit { get; }

    public static async Task<ListPageContext> CreateAsync()
    {
        var host = await ListTestHost.CreateAsync();
        return new ListPageContext(host, new ConsoleBunitContext(host.Core));
    }

    public void SignIn(CallerContext caller) => Bunit.SignInAs(caller);

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
