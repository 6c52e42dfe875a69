using LPTracker.Core.Employees;
using LPTracker.Core.Employees.Bulk;
using LPTracker.Core.Permissions;
using LPTracker.Web.Admin;
using LPTracker.Web.Components.Employees.List;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LPTracker.Web.Components.Pages.Employees;

/// <summary>
/// The list's selection and bulk actions. The selection is a set of ids that survives paging and live reloads; a
/// new scope or search clears it (the ticked rows may no longer be shown). "All N matching" sends the scope and
/// search instead of ids, so the server acts on every match, not only on the loaded page.
/// </summary>
public sealed partial class EmployeeList
{
    private readonly HashSet<int> _selected = [];
    private IReadOnlyList<int> _pageIds = [];
    private bool _allMatching;
    private int _matching;
    private BulkSummary? _bulkSummary;

    [Inject] private BulkEmployeeActions Bulk { get; set; } = default!;

    [Inject] private LinkBase Links { get; set; } = default!;

    private bool HasSelection => _allMatching || _selected.Count > 0;

    private bool PageFullySelected => _pageIds.Count > 0 && _pageIds.All(_selected.Contains);

    private bool CanExport => Shell.Profile?.Has(EmployeePermissions.ExportData) == true;

    private static string ExportUrl(EmployeeSelection selection) => EmployeeExportEndpoints.CsvUrl(selection);

    private bool CanDelete => Shell.Profile?.Has(EmployeePermissions.DeleteData) == true;

    private EmployeeSelection Selection => _allMatching ? EmployeeSelection.Matching(_scope, _search) : new EmployeeSelection([.. _selected]);

    private bool IsSelected(int id) => _allMatching || _selected.Contains(id);

    private Action<ChangeEventArgs> SelectFor(EmployeeListRow row) => e => Select(row.Id, e.Value is true);

    private void Select(int id, bool on)
    {
        if (_allMatching)
        {
            // Unticking one row of "all matching" turns the selection into the loaded rows minus that one.
            _allMatching = false;
            _selected.UnionWith(_pageIds);
        }

        if (on)
        {
            _selected.Add(id);
        }
        else
        {
            _selected.Remove(id);
        }
    }

    private void SelectPage(ChangeEventArgs e)
    {
        _allMatching = false;
        if (e.Value is true)
        {
            _selected.UnionWith(_pageIds);
        }
        else
        {
            _selected.ExceptWith(_pageIds);
        }
    }

    private void SelectAllMatching() => _allMatching = true;

    private void ClearSelection()
    {
        _allMatching = false;
        _selected.Clear();
    }

    private async Task RunBulkAsync(BulkAction action)
    {
        if (Shell.Profile is not { } profile)
        {
            return;
        }

        var parameters = new DialogParameters<BulkConfirmDialog>
        {
            { d => d.Action, action },
            { d => d.Count, _allMatching ? _matching : _selected.Count },
            { d => d.Projects, Shell.Projects },
            { d => d.ProjectId, _project?.Id ?? (Shell.Projects.Count > 0 ? Shell.Projects[0].Id : null) },
        };
        var dialog = await Dialogs.ShowAsync<BulkConfirmDialog>(L["Bulk.Confirm.Title"], parameters);
        if (await dialog.Result is not { Canceled: false } confirmed)
        {
            return;
        }

        var result = await Bulk.RunAsync(profile.Context, new BulkRequest(action, Selection, confirmed.Data as int?, Links.Value));
        if (!result.Succeeded)
        {
            Snackbar.Add(result.Summary, Severity.Error);
            return;
        }

        _bulkSummary = result.Value;
        ClearSelection();
        await ReloadAsync();
    }

    /// <summary>The page's rows changed: remember them for "select the page" and drop a stale "all matching" count.</summary>
    private void OnPageLoaded(EmployeeListPage page)
    {
        _pageIds = page.Rows.Select(r => r.Id).ToList();
        _matching = page.TotalCount;
    }
}
