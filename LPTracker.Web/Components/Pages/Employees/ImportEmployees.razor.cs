using LPTracker.Core.Employees.Import;
using LPTracker.Web.Admin;
using LPTracker.Web.Components.Shell;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace LPTracker.Web.Components.Pages.Employees;

/// <summary>
/// Сотрудники → Импорт: choose a file, check it (a dry run that changes nothing and lists every bad row with its
/// number), then import with the chosen options. Import is offered once the last check found no errors, or when the
/// administrator chose to import the valid rows; the server re-checks everything either way.
/// </summary>
public sealed partial class ImportEmployees
{
    private byte[]? _file;
    private string? _fileName;
    private bool _generateSip;
    private bool _sendInvitations;
    private bool _importValidRows;
    private bool _busy;
    private bool _imported;
    private string? _error;
    private ImportReport? _report;

    [Inject] private LPTracker.Core.Employees.Import.EmployeeImport Importer { get; set; } = default!;

    [Inject] private ShellState Shell { get; set; } = default!;

    [Inject] private LinkBase Links { get; set; } = default!;

    private bool CanImport => _file is not null && !_busy && !_imported && _report is { ValidRows: > 0 } r && (!r.HasErrors || _importValidRows);

    private async Task OnFileChosenAsync(InputFileChangeEventArgs e)
    {
        _report = null;
        _error = null;
        _imported = false;
        _file = null;
        _fileName = e.File.Name;
        if (e.File.Size > LPTracker.Core.Employees.Import.EmployeeImport.Limits.MaxBytes)
        {
            _error = L["Tabular.TooLarge", LPTracker.Core.Employees.Import.EmployeeImport.Limits.MaxBytes / (1024 * 1024)];
            return;
        }

        _busy = true;
        try
        {
            using var buffer = new MemoryStream();
            await using (var upload = e.File.OpenReadStream(LPTracker.Core.Employees.Import.EmployeeImport.Limits.MaxBytes))
            {
                await upload.CopyToAsync(buffer);
            }

            _file = buffer.ToArray();
        }
        finally
        {
            _busy = false;
        }

        await DryRunAsync();
    }

    private Task DryRunAsync() => RunAsync(dryRun: true);

    private Task ImportAsync() => RunAsync(dryRun: false);

    private async Task RunAsync(bool dryRun)
    {
        await Shell.EnsureLoadedAsync();
        if (_file is null || Shell.Profile is not { } profile)
        {
            return;
        }

        _busy = true;
        _error = null;
        try
        {
            using var input = new MemoryStream(_file, writable: false);
            var result = dryRun
                ? await Importer.DryRunAsync(profile.Context, input, _fileName ?? "", default)
                : await Importer.ImportAsync(profile.Context, input, _fileName ?? "",
                    new ImportOptions(_generateSip, _sendInvitations, _importValidRows, Links.Value));
            if (!result.Succeeded)
            {
                _error = result.Summary;
                _report = null;
                return;
            }

            _report = result.Value;
            _imported = !dryRun && result.Value!.Created > 0;
        }
        finally
        {
            _busy = false;
        }
    }
}
