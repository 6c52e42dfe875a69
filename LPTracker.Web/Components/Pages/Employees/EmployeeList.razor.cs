using LPTracker.Core;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Web.Components.Employees.List;
using LPTracker.Web.Components.Shell;
using LPTracker.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace LPTracker.Web.Components.Pages.Employees;

/// <summary>
/// The Employees list: Project/All, search, server-side sort and paging, the switch and delete. Changes made
/// anywhere in the account arrive through <see cref="ChangeNotifier"/> over this circuit, at most once per
/// <see cref="LiveWindow"/>: a SIP presence change updates the row's chip and the Online counter in place, from
/// presence in memory (<see cref="LivePage"/>: no query, and nothing at all for a phone neither shown nor counted);
/// any other change (created, deleted, renamed, switched, projects, calls) can move rows or counters and reloads the
/// visible page.
/// </summary>
public sealed partial class EmployeeList : IDisposable
{
    /// <summary>Bursts of changes are folded into one reload per this window.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromMilliseconds(250);

    private readonly HashSet<int> _busy = [];
    private MudDataGrid<EmployeeListRow>? _grid;
    private MudMenu? _rowMenu;
    private EmployeeListRow? _menuRow;
    private EmployeeListScope _scope = EmployeeListScope.Project;
    private string? _search;
    private string? _error;
    private EmployeeListCounters _counters = new(0, 0, 0);
    private ProjectRef? _project;
    private DateTime _nowUtc;
    private TimeZoneInfo? _viewerZone;
    private IDisposable? _subscription;
    private ReloadCoalescer? _live;
    private ReloadCoalescer? _presenceFlush;
    private LivePage _livePage = default!;
    private ListCounters? _countersView;

    [Inject] private EmployeeListService List { get; set; } = default!;

    [Inject] private ShellState Shell { get; set; } = default!;

    [Inject] private ChangeNotifier Notifier { get; set; } = default!;

    [Inject] private ISipPresenceSource Presence { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private ILogger<EmployeeList> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _nowUtc = Time.GetUtcNow().UtcDateTime;
        _livePage = new LivePage(Presence);
        Shell.Changed += OnShellChangedAsync;
        await Shell.EnsureLoadedAsync();

        // Prerendering has no circuit to push to; subscribe only once the page is interactive.
        if (RendererInfo.IsInteractive && Shell.Profile is { } profile)
        {
            var culture = CircuitCulture.Capture();
            _live = new ReloadCoalescer(LiveWindow, () => InvokeAsync(culture.Around(ReloadAsync)), Time, Logger);
            _presenceFlush = new ReloadCoalescer(LiveWindow, async () =>
            {
                // Off the publisher's thread (the SIP registrar's receive loop): an idle circuit's dispatcher runs
                // work inline, and the registrar would otherwise render every open list of the account itself.
                await Task.Yield();
                await InvokeAsync(culture.Around(ApplyPresence));
            }, Time, Logger);
            _subscription = Notifier.Subscribe(profile.AccountId, OnChange);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _viewerZone = await ViewerTimeZone.GetAsync(JS);
            if (_viewerZone is not null)
            {
                StateHasChanged();
            }
        }
    }

    private void OnChange(EmployeeChange change)
    {
        if (change is { Kind: EmployeeChangeKind.SipStatus, EmployeeId: { } employeeId })
        {
            // On the publisher's thread: a phone this page neither shows nor counts costs nothing more.
            if (_livePage.Touch(employeeId))
            {
                _presenceFlush?.Request();
            }

            return;
        }

        _live?.Request();
    }

    private Task ApplyPresence()
    {
        Show(_livePage.ApplyPending());
        return Task.CompletedTask;
    }

    /// <summary>Renders what presence changed: the whole page for a row, only the counters for the Online count.</summary>
    private void Show(LivePageChange change)
    {
        _counters = _livePage.Counters;
        if (change.HasFlag(LivePageChange.Reload))
        {
            _live?.Request();
        }

        if (change.HasFlag(LivePageChange.Row))
        {
            StateHasChanged();
        }
        else if (change.HasFlag(LivePageChange.Counters))
        {
            _countersView?.Show(_counters);
        }
    }

    private Task OnShellChangedAsync() => InvokeAsync(ReloadAsync);

    private async Task ReloadAsync()
    {
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<GridData<EmployeeListRow>> LoadServerDataAsync(GridState<EmployeeListRow> state, CancellationToken ct)
    {
        if (Shell.Profile is not { } profile)
        {
            return new GridData<EmployeeListRow> { Items = [], TotalItems = 0 };
        }

        var sort = state.SortDefinitions.FirstOrDefault();
        var query = new EmployeeListQuery(_scope, _search, SortOf(sort?.SortBy), sort?.Descending ?? false, state.Page,
            state.PageSize, profile.CurrentProject?.Id);
        if (await ReadAsync(profile.Context, query, ct) is not { } result)
        {
            return new GridData<EmployeeListRow> { Items = [], TotalItems = 0 };
        }

        _nowUtc = Time.GetUtcNow().UtcDateTime;
        if (!result.Succeeded)
        {
            _error = result.Summary;
            StateHasChanged();
            return new GridData<EmployeeListRow> { Items = [], TotalItems = 0 };
        }

        var page = result.Value!;
        _error = null;
        _project = page.Project;
        OnPageLoaded(page);
        if (page.ProjectChanged)
        {
            // The project this page showed is gone (or switched elsewhere): follow the caller's current one.
            Snackbar.Add(L["EmployeeList.ProjectChanged", page.Project?.Name ?? L["Shell.NoProject"]], Severity.Info);
            _ = InvokeAsync(Shell.RefreshAsync);
        }

        if (page.Rows.Count == 0 && page.TotalCount > 0 && state.Page > 0)
        {
            // Rows on the last page were deleted under us: step back to the page that now exists.
            _ = InvokeAsync(() => _grid!.NavigateTo(Page.Last));
        }

        StateHasChanged();
        return new GridData<EmployeeListRow> { Items = page.Rows, TotalItems = page.TotalCount };
    }

    /// <summary>Reads a page (null when cancelled) and hands it to the live page, which takes it as the new base.</summary>
    private async Task<OperationResult<EmployeeListPage>?> ReadAsync(CallerContext caller, EmployeeListQuery query, CancellationToken ct)
    {
        OperationResult<EmployeeListPage>? result = null;
        _livePage.BeginLoad();
        try
        {
            result = await List.LoadAsync(caller, query, ct);
            return result;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            // Presence changes applied while the page was read are applied again to what it read.
            var change = _livePage.EndLoad(result is { Succeeded: true } ? result.Value : null);
            _counters = _livePage.Counters;
            if (change.HasFlag(LivePageChange.Reload))
            {
                _live?.Request();
            }
        }
    }

    private static EmployeeListSort SortOf(string? column) => column switch
    {
        nameof(EmployeeListRow.Login) => EmployeeListSort.Login,
        nameof(EmployeeListRow.Position) => EmployeeListSort.Position,
        nameof(EmployeeListRow.LastLoginUtc) => EmployeeListSort.LastLogin,
        _ => EmployeeListSort.Name,
    };

    private async Task OnScopeChangedAsync(EmployeeListScope scope)
    {
        _scope = scope;
        ClearSelection();
        await ReloadAsync();
    }

    private async Task OnSearchChangedAsync(string? search)
    {
        _search = search;
        ClearSelection();
        await ReloadAsync();
    }

    // The rows' handlers are made here rather than as lambdas in the cell templates: a lambda there closes over the
    // template's scope, which holds the grid's cell context, and keeps it alive with the rendered row (about 60 KB
    // less per rendered page, measured with bUnit).
    private Func<MouseEventArgs, Task> OpenMenuFor(EmployeeListRow row) => e => OpenRowMenuAsync(e, row);

    private Func<ChangeEventArgs, Task> ToggleFor(EmployeeListRow row) => e => ToggleAsync(row, e.Value is true);

    private async Task OpenRowMenuAsync(MouseEventArgs e, EmployeeListRow row)
    {
        _menuRow = row;
        if (_rowMenu is not null)
        {
            await _rowMenu.OpenMenuAsync(e);
        }
    }

    private async Task ToggleAsync(EmployeeListRow row, bool enabled)
    {
        if (Shell.Profile is not { } profile || !_busy.Add(row.Id))
        {
            return;
        }

        try
        {
            var result = await List.SetEnabledAsync(profile.Context, row.Id, enabled);
            if (!result.Succeeded)
            {
                Snackbar.Add(result.Summary, Severity.Error);
            }
        }
        finally
        {
            _busy.Remove(row.Id);
        }

        // Success also arrives through the notifier; reloading now shows it (or undoes the switch) at once.
        await ReloadAsync();
    }

    private async Task DeleteAsync(EmployeeListRow row)
    {
        if (Shell.Profile is not { } profile)
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync(L["EmployeeList.Delete.Title"], L["EmployeeList.Delete.Confirm", row.Name],
            yesText: L["Common.Delete"], cancelText: L["Common.Cancel"]);
        if (confirmed != true)
        {
            return;
        }

        var result = await List.DeleteAsync(profile.Context, row.Id);
        Snackbar.Add(result.Succeeded ? L["EmployeeList.Delete.Done", row.Name] : result.Summary,
            result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    private string FormatTime(DateTime utc)
    {
        var zone = _viewerZone ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return $"{local.ToString("f", System.Globalization.CultureInfo.CurrentCulture)} ({(_viewerZone is null ? "UTC" : zone.Id)})";
    }

    public void Dispose()
    {
        Shell.Changed -= OnShellChangedAsync;
        _subscription?.Dispose();
        _live?.Dispose();
        _presenceFlush?.Dispose();
    }
}
