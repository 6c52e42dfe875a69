using System.Globalization;
using LPTracker.Core.Cluster;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony.Bans;
using LPTracker.Web.Auth;
using LPTracker.Web.Components.Employees.List;
using LPTracker.Web.Components.Shell;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace LPTracker.Web.Components.Pages.Employees;

/// <summary>
/// The registrar's bans that concern the account (every node's, each naming the node that raised it: docs/decisions/0059),
/// with «Снять блокировку». The list follows bans
/// starting and being lifted live (bursts coalesced: a scan bans many pairs at once) and drops a ban when it ends.
/// </summary>
public sealed partial class SipBans : IDisposable
{
    /// <summary>Bursts of ban changes (a scan, a flood) reload the list at most this often.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(1);

    private IReadOnlyList<SipBanRow>? _rows;
    private string? _error;
    private CallerContext? _caller;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private IDisposable? _subscription;
    private ReloadCoalescer? _live;
    private ITimer? _timer;

    [Inject] private SipBanList Bans { get; set; } = null!;

    [Inject] private LiftSipBan Lifter { get; set; } = null!;

    [Inject] private ISipBanRegistry Registry { get; set; } = null!;

    [Inject] private NodeIdentity Node { get; set; } = null!;

    [Inject] private CurrentUser CurrentUser { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [Inject] private IDialogService Dialogs { get; set; } = null!;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Inject] private ILogger<SipBans> Logger { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        // The handlers re-check the Employees section; the guard shows "no access" to those without it.
        _caller = await CurrentUser.GetCallerAsync();
        if (_caller is null)
        {
            return;
        }

        await LoadAsync();
        if (RendererInfo.IsInteractive)
        {
            _live = new ReloadCoalescer(Coalesce, () => InvokeAsync(ReloadAsync), Time, Logger);
            _subscription = Registry.Subscribe(_live.Request);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive && await ViewerTimeZone.GetAsync(JS) is { } zone && zone != _zone)
        {
            _zone = zone;
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        if (_caller is not { } caller)
        {
            return;
        }

        var result = await Bans.ListAsync(caller);
        _rows = result.Value ?? [];
        _error = result.Succeeded ? null : result.Summary;
        ScheduleExpiry();
    }

    /// <summary>A ban ends by itself without any event: reload when the soonest one is over.</summary>
    private void ScheduleExpiry()
    {
        _timer?.Dispose();
        _timer = null;
        if (RendererInfo.IsInteractive && _rows is { Count: > 0 } rows)
        {
            var due = rows.Min(r => r.UntilUtc) - Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1);
            _timer = Time.CreateTimer(_ => _live?.Request(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LiftAsync(CallerContext caller, SipBanRow row)
    {
        var who = row.User is null ? row.Address : $"{row.Employees[0].Name} ({row.Address})";
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["SipBansPage.Lift"], L["SipBansPage.LiftConfirm", who],
            yesText: L["SipBansPage.Lift"], cancelText: L["Common.Cancel"]);
        if (confirmed != true)
        {
            return;
        }

        var result = await Lifter.LiftAsync(caller, row.Address, row.User);
        if (result.Succeeded)
        {
            Snackbar.Add(L["SipBansPage.Lifted", who], Severity.Success);
        }
        else
        {
            Snackbar.Add(result.Summary, Severity.Warning);
        }

        await LoadAsync();
    }

    private string Local(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone).ToString("dd.MM HH:mm:ss", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _subscription?.Dispose();
        _live?.Dispose();
        _timer?.Dispose();
    }
}
