using System.Globalization;
using LPTracker.Core.Audit;
using LPTracker.Core.Security;
using LPTracker.Web.Admin;
using LPTracker.Web.Auth;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LPTracker.Web.Components.Pages.Audit;

/// <summary>The audit log page: filters (who, whom, what, period), newest first, CSV export of the same filter.</summary>
public sealed partial class AuditLog
{
    private MudTable<AuditRecord>? _table;
    private IReadOnlyList<ProjectRef> _people = [];
    private int? _actor;
    private int? _target;
    private AuditAction? _action;
    private DateTime? _from;
    private DateTime? _to;
    private string? _error;

    [Inject]
    private AuditLogService Log { get; set; } = default!;

    [Inject]
    private CurrentUser CurrentUser { get; set; } = default!;

    private string ExportHref
    {
        get
        {
            var query = new Dictionary<string, object?>
            {
                ["actor"] = _actor, ["target"] = _target, ["action"] = _action?.ToString(),
                ["from"] = _from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["to"] = _to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            return AuditEndpoints.ExportPath + QueryString.Create(query.Where(kv => kv.Value is not null)
                .Select(kv => KeyValuePair.Create(kv.Key, (string?)Convert.ToString(kv.Value, CultureInfo.InvariantCulture))));
        }
    }

    protected override async Task OnInitializedAsync()
    {
        if (await CurrentUser.GetCallerAsync() is { } caller)
        {
            _people = await Log.PeopleAsync(caller);
        }
    }

    private async Task SetAsync(Action set)
    {
        set();
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private async Task<TableData<AuditRecord>> LoadAsync(TableState state, CancellationToken ct)
    {
        if (await CurrentUser.GetCallerAsync() is not { } caller)
        {
            return new TableData<AuditRecord> { Items = [], TotalItems = 0 };
        }

        // The period is in whole UTC days, both ends included.
        var filter = new AuditFilter(_actor, _target, _action, _from?.Date, _to?.Date.AddDays(1).AddTicks(-1));
        var result = await Log.SearchAsync(caller, filter, state.Page, state.PageSize, ct);
        _error = result.Succeeded ? null : result.Summary;
        return new TableData<AuditRecord> { Items = result.Value?.Rows ?? [], TotalItems = result.Value?.Total ?? 0 };
    }
}
