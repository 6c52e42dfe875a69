using LPTracker.Core.Calls;
using LPTracker.Core.Live;
using LPTracker.Web.Components.Employees.List;
using LPTracker.Web.Components.Shell;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace LPTracker.Web.Components.Pages.Calls;

/// <summary>
/// Телефония → Журнал звонков: every call with its legs, newest first, a missed-calls filter with «Перезвонить».
/// Calls that ring, are answered or end arrive through <see cref="KeyedNotifier{TEvent}"/> of
/// <see cref="CallLogChange"/> once written, and reload the page at most once per <see cref="LiveWindow"/>.
/// </summary>
public sealed partial class CallLog : IDisposable
{
    /// <summary>Bursts of call events are folded into one reload per this window.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromMilliseconds(250);

    private CallLogPage? _page;
    private bool _missedOnly;
    private int _pageIndex;
    private bool _dialling;
    private string? _error;
    private DateTime _nowUtc;
    private TimeZoneInfo? _viewerZone;
    private IDisposable? _subscription;
    private ReloadCoalescer? _live;

    [Inject] private CallLogService Log { get; set; } = default!;

    [Inject] private CallService Calls { get; set; } = default!;

    [Inject] private ShellState Shell { get; set; } = default!;

    [Inject] private KeyedNotifier<CallLogChange> Notifier { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private ILogger<CallLog> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await Shell.EnsureLoadedAsync();
        await LoadAsync();
        if (RendererInfo.IsInteractive && Shell.Profile is { } profile)
        {
            _live = new ReloadCoalescer(LiveWindow, () => InvokeAsync(ReloadAsync), Time, Logger);
            _subscription = Notifier.Subscribe(profile.AccountId, _ => _live?.Request());
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

    private async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        if (Shell.Profile is not { } profile)
        {
            return;
        }

        var result = await Log.LoadAsync(profile.Context, new CallLogQuery(_missedOnly, _pageIndex));
        _nowUtc = Time.GetUtcNow().UtcDateTime;
        _error = result.Succeeded ? null : result.Summary;
        _page = result.Value;
    }

    private async Task OnFilterChangedAsync(bool missedOnly)
    {
        _missedOnly = missedOnly;
        _pageIndex = 0;
        await LoadAsync();
    }

    private async Task OnPageChangedAsync(int page)
    {
        _pageIndex = page - 1;
        await LoadAsync();
    }

    private async Task CallBackAsync(CallLogRow row)
    {
        if (Shell.Profile is not { } profile)
        {
            return;
        }

        _dialling = true;
        try
        {
            var result = await Calls.CallBackAsync(profile.Context, row.Id);
            Snackbar.Add(result.Succeeded ? L["Calls.CallBack.Started"] : result.Summary, result.Succeeded ? Severity.Success : Severity.Error);
        }
        finally
        {
            _dialling = false;
        }
    }

    private string ResultText(CallLogRow row) =>
        row.Outcome is { } outcome ? L[$"Calls.Outcome.{outcome}"]
        : row.AnsweredUtc is not null ? L["Calls.InProgress.Talking"]
        : L["Calls.InProgress.Ringing"];

    private string LegText(CallLegRow leg) =>
        leg.Outcome is { } outcome ? L[$"Calls.Outcome.{outcome}"]
        : leg.AnsweredUtc is not null ? L["Calls.InProgress.Talking"]
        : L["Calls.InProgress.Ringing"];

    private string FormatTime(DateTime utc)
    {
        var zone = _viewerZone ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return local.ToString("g", System.Globalization.CultureInfo.CurrentCulture) + (_viewerZone is null ? " UTC" : "");
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _live?.Dispose();
    }
}
