using System.Globalization;
using System.Text;
using LPTracker.Core.Employees;
using LPTracker.Core.Employees.Bulk;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Employees.Bulk;

/// <summary>Issue 12, item 4: the list as shown, as CSV, under the Export permission.</summary>
public sealed class EmployeeExportTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public EmployeeExportTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EmployeeExport Export => _host.Get<EmployeeExport>();

    [Fact]
    public async Task The_csv_starts_with_a_bom_uses_semicolons_and_escapes_formula_cells()
    {
        var ivan = await _host.AddEmployeeAsync(_owner, "ivan", name: "Иван; «Петров»");
        await SetPositionAsync(ivan, "=HYPERLINK(\"http://evil\")");

        var bytes = await CsvAsync(_owner, EmployeeSelection.Matching(EmployeeListScope.All, "ivan"));

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Имя;Логин;E-mail;Телефон;Должность;Проекты;Способ приёма звонков;", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines[1..]);
        Assert.StartsWith("\"Иван; «Петров»\";", row, StringComparison.Ordinal);
        Assert.Contains(";\"'=HYPERLINK(\"\"http://evil\"\")\";", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_ticked_rows_are_exported()
    {
        var ivan = await _host.AddEmployeeAsync(_owner, "ivan");
        await _host.AddEmployeeAsync(_owner, "petr");

        var text = Encoding.UTF8.GetString(await CsvAsync(_owner, new EmployeeSelection([ivan.EmployeeId])));

        Assert.Contains("_ivan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_petr", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_export_permission_nothing_is_written()
    {
        var olga = await _host.AddEmployeeAsync(_owner, "olga", CommonSections.Employees);
        using var output = new MemoryStream();

        var result = await Export.WriteCsvAsync(olga, EmployeeSelection.Matching(EmployeeListScope.All, null), output);

        Assert.Equal("Для экспорта нужно право «Экспорт данных».", result.Summary);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task A_project_the_exporter_cannot_open_is_not_named()
    {
        var olga = await _host.AddEmployeeAsync(_owner, "olga", CommonSections.Employees);
        await _host.SetRightsAsync(olga, CommonSections.Employees, EmployeePermissions.ExportData);
        var secret = await _host.AddProjectAsync(_owner, "Секретный");
        var ivan = await _host.AddEmployeeAsync(_owner, "ivan");
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId))
        {
            db.Memberships.Add(new ProjectMembership { EmployeeId = ivan.EmployeeId, ProjectId = secret, AccountId = _owner.AccountId, HasAccess = true });
            await db.SaveChangesAsync();
        }

        var text = Encoding.UTF8.GetString(await CsvAsync(olga, new EmployeeSelection([ivan.EmployeeId])));

        Assert.DoesNotContain("Секретный", text, StringComparison.Ordinal);
        Assert.Contains(";Проект 1;", text, StringComparison.Ordinal);
    }

    private async Task<byte[]> CsvAsync(CallerContext caller, EmployeeSelection selection)
    {
        using var output = new MemoryStream();
        var result = await Export.WriteCsvAsync(caller, selection, output);
        Assert.True(result.Succeeded, result.Summary);
        return output.ToArray();
    }

    private async Task SetPositionAsync(CallerContext employee, string position)
    {
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        (await db.Employees.SingleAsync(e => e.Id == employee.EmployeeId)).Position = position;
        await db.SaveChangesAsync();
    }
}
