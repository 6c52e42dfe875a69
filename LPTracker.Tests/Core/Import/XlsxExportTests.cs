using System.Globalization;
using LPTracker.Core.Crm;
using LPTracker.Core.Import;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Import;

/// <summary>The XLSX export, read back through the import's reader: the same rows as the list, text made safe.</summary>
public sealed class XlsxExportTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public XlsxExportTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<TabularTable> ReadBackAsync(Func<CrmExport, Stream, Task<LPTracker.Core.OperationResult>> export)
    {
        using var output = new MemoryStream();
        Assert.True((await export(_host.Get<CrmExport>(), output)).Succeeded);
        output.Position = 0;
        var read = await _host.Get<TabularReader>().ReadAsync(output, "export.xlsx");
        Assert.True(read.Succeeded, read.Summary);
        return read.Value!;
    }

    [Fact]
    public async Task The_xlsx_holds_exactly_the_leads_the_employee_sees_with_the_filter()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Leads,
            EmployeePermissions.ExportData | EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", ProjectSections.Leads);
        await _host.AddLeadAsync(_owner, "Иванов", ivan);
        await _host.AddLeadAsync(_owner, "Пул");
        await _host.AddLeadAsync(_owner, "Петров", petr);

        var all = await ReadBackAsync((e, s) => e.WriteLeadsAsync(ivan, new LeadListQuery(), ExportFormat.Xlsx, s));
        var pool = await ReadBackAsync((e, s) => e.WriteLeadsAsync(ivan, new LeadListQuery(Owner: LeadOwnerFilter.Pool), ExportFormat.Xlsx, s));

        Assert.Equal(["Иванов", "Пул"], all.Rows.Select(r => r.Cell(1)).Order(StringComparer.Ordinal));
        Assert.Equal(["Пул"], pool.Rows.Select(r => r.Cell(1)));
    }

    [Fact]
    public async Task A_formula_in_a_contact_name_is_exported_to_xlsx_as_text()
    {
        await _host.AddContactAsync(_owner, "=HYPERLINK(\"http://evil\")", "+78123893298");

        var table = await ReadBackAsync((e, s) => e.WriteContactsAsync(_owner, null, ExportFormat.Xlsx, s));

        Assert.Equal(["'=HYPERLINK(\"http://evil\")", "+78123893298"], [table.Rows[0].Cell(1), table.Rows[0].Cell(3)]);
    }

    [Fact]
    public async Task Without_the_export_permission_no_xlsx_is_written()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Contacts);
        using var output = new MemoryStream();

        var result = await _host.Get<CrmExport>().WriteContactsAsync(ivan, null, ExportFormat.Xlsx, output);

        Assert.False(result.Succeeded);
        Assert.Equal(0, output.Length);
    }
}
