using System.Globalization;
using System.Text;
using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Leads;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Crm;

public sealed class ExportTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public ExportTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(bool Ok, byte[] Bytes)> ExportLeadsAsync(CallerContext caller, LeadListQuery? filter = null)
    {
        using var output = new MemoryStream();
        var result = await _host.Get<CrmExport>().WriteLeadsAsync(caller, filter ?? new(), output);
        return (result.Succeeded, output.ToArray());
    }

    [Fact]
    public async Task The_export_holds_exactly_the_rows_the_employee_sees()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Leads,
            EmployeePermissions.ExportData | EmployeePermissions.SeeNewLeadsWithUnprocessed);
        var petr = await _host.AddCrmEmployeeAsync(_owner, "petr", ProjectSections.Leads);
        await _host.AddLeadAsync(_owner, "Иванов", ivan);
        await _host.AddLeadAsync(_owner, "Пул");
        await _host.AddLeadAsync(_owner, "Петров", petr);

        var (ok, bytes) = await ExportLeadsAsync(ivan);

        Assert.True(ok);
        var titles = Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(';')[1]).Order(StringComparer.Ordinal);
        Assert.Equal(["Иванов", "Пул"], titles);
    }

    [Fact]
    public async Task The_export_follows_the_current_filter()
    {
        var ivan = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Leads, EmployeePermissions.All);
        await _host.AddLeadAsync(_owner, "Иванов", ivan);
        await _host.AddLeadAsync(_owner, "Пул");

        var (_, bytes) = await ExportLeadsAsync(ivan, new LeadListQuery(Owner: LeadOwnerFilter.Pool));

        Assert.Equal(2, Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_file_is_utf8_with_a_bom_and_semicolons()
    {
        await _host.AddLeadAsync(_owner, "Лид");

        var (_, bytes) = await ExportLeadsAsync(_owner);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("Id;Title;Contact;Stage", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)", "'@SUM(1+1)")]
    [InlineData("+7 812 389-32-98", "+7 812 389-32-98")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("Обычный текст", "Обычный текст")]
    public void Formula_cells_are_escaped_and_phone_numbers_kept(string value, string exported) =>
        Assert.Equal(exported, CsvCells.Safe(value));

    [Fact]
    public async Task A_formula_in_a_contact_name_is_exported_as_text()
    {
        await _host.AddContactAsync(_owner, "=HYPERLINK(\"http://evil\")");
        using var output = new MemoryStream();

        await _host.Get<CrmExport>().WriteContactsAsync(_owner, null, output);

        Assert.Contains("'=HYPERLINK", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }
}
