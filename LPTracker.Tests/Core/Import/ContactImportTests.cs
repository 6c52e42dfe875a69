using System.Globalization;
using System.Text;
using LPTracker.Core.Import;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Import;

public sealed class ContactImportTests : IAsyncLifetime
{
    private const string BadFile = "Имя;Телефон;E-mail;Ответственный\n"
        + "Анна;+7 900 111-22-33;anna@example.com;\n"      // row 2: fine
        + "Борис;12345;;\n"                                 // row 3: bad phone
        + "Вера;+7 900 222-33-44;;nobody\n"                 // row 4: unknown owner
        + "Галина;8 (900) 111-22-33;;\n"                    // row 5: Anna's phone again
        + "\"Дмитрий\"x;+7 900 333-44-55;;\n"              // row 6: broken quotes
        + "Елена;+7 900 444-55-66;;\n";                     // row 7: fine

    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public ContactImportTests() => CultureInfo.CurrentUICulture = new CultureInfo("en-US");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Bad_rows_are_reported_with_their_row_numbers()
    {
        var report = (await _host.ImportAsync(_owner, BadFile, dryRun: true)).Value!;

        Assert.Equal([3, 4, 5, 6], report.Rejections.Select(r => r.RowNumber));
        Assert.Contains("is not a phone number", report.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("no employee «nobody»", report.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.Contains("as in row 2", report.Rejections[2].Reason, StringComparison.Ordinal);
        Assert.Contains("quote", report.Rejections[3].Reason, StringComparison.Ordinal);
        Assert.Equal(2, report.Created);
    }

    [Fact]
    public async Task A_dry_run_changes_nothing()
    {
        var report = (await _host.ImportAsync(_owner, "Имя;Телефон\nАнна;+79001112233\nБорис;+79002223344\n", dryRun: true)).Value!;

        Assert.Equal((2, false), (report.Created, report.Written));
        Assert.Empty(await _host.ContactNamesAsync(_owner));
    }

    [Fact]
    public async Task One_bad_row_means_nothing_is_imported()
    {
        var report = (await _host.ImportAsync(_owner, BadFile)).Value!;

        Assert.False(report.Written);
        Assert.Empty(await _host.ContactNamesAsync(_owner));
    }

    [Fact]
    public async Task Importing_the_valid_rows_leaves_out_only_the_rejected_ones()
    {
        var report = (await _host.ImportAsync(_owner, BadFile, validRowsOnly: true)).Value!;

        Assert.True(report.Written);
        Assert.Equal(["Анна", "Елена"], await _host.ContactNamesAsync(_owner));
    }

    [Fact]
    public async Task A_failure_while_writing_rolls_back_every_row()
    {
        await using (var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId))
        {
            // A real constraint failure half-way through the write: the phone of the last row is refused by SQLite.
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_phone BEFORE INSERT ON ContactPhone WHEN NEW.E164 = '+79004445566' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        }

        var result = await _host.ImportAsync(_owner, "Имя;Телефон\nАнна;+79001112233\nБорис;+79002223344\nЕлена;+79004445566\n");

        Assert.False(result.Succeeded);
        Assert.Empty(await _host.ContactNamesAsync(_owner));
    }

    [Theory]
    [InlineData(DuplicateMode.Skip, "Анна", null, 1, 0)]
    [InlineData(DuplicateMode.Update, "Анна Петровна", "ООО Ромашка", 0, 1)]
    public async Task A_contact_with_the_same_phone_is_skipped_or_updated(DuplicateMode mode, string name, string? company, int skipped, int updated)
    {
        await _host.AddContactAsync(_owner, "Анна", "+79001112233");

        var report = (await _host.ImportAsync(_owner, "Имя;Телефон;Компания\nАнна Петровна;8 900 111-22-33;ООО Ромашка\n", duplicates: mode)).Value!;

        Assert.Equal((0, updated, skipped), (report.Created, report.Updated, report.Skipped));
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal((name, company), (contact.Name, contact.Company));
    }

    [Fact]
    public async Task A_windows_1251_file_with_commas_is_imported_in_cyrillic()
    {
        var cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

        var report = (await _host.ImportAsync(_owner, "ФИО,Телефон,Почта\nЁжиков Пётр,+79001112233,pyotr@example.com\n", encoding: cp1251)).Value!;

        Assert.True(report.Written);
        Assert.Equal(["Ёжиков Пётр"], await _host.ContactNamesAsync(_owner));
    }

    [Fact]
    public async Task Ten_thousand_contacts_are_imported()
    {
        var csv = new StringBuilder("Имя;Телефон;E-mail\n");
        for (var i = 0; i < 10_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Контакт {i};+7900{i:D7};c{i}@example.com\n");
        }

        var report = (await _host.ImportAsync(_owner, csv.ToString())).Value!;

        Assert.Equal((10_000, true), (report.Created, report.Written));
        Assert.Equal(10_000, (await _host.ContactNamesAsync(_owner)).Count);
    }

    public static TheoryData<ProjectSections, EmployeePermissions> Refused => new()
    {
        { ProjectSections.Contacts, EmployeePermissions.ExportData },
        { ProjectSections.Leads, EmployeePermissions.ImportData },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Without_the_section_or_the_import_permission_nothing_is_imported(ProjectSections sections, EmployeePermissions permissions)
    {
        var employee = await _host.AddCrmEmployeeAsync(_owner, "ivan", sections, permissions);

        var result = await _host.ImportAsync(employee, "Имя\nАнна\n");

        Assert.False(result.Succeeded);
        Assert.Empty(await _host.ContactNamesAsync(_owner));
    }

    [Fact]
    public async Task An_employee_with_the_section_and_the_permission_imports_as_owner()
    {
        var employee = await _host.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Contacts, EmployeePermissions.ImportData);

        var result = await _host.ImportAsync(employee, "Имя\nАнна\n");

        Assert.True(result.Value!.Written);
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        Assert.Equal(employee.EmployeeId, await db.Contacts.Select(c => c.OwnerId).SingleAsync());
    }

    [Fact]
    public async Task The_rejected_rows_file_holds_the_cells_the_row_number_and_the_reason()
    {
        var table = await _host.TableAsync(BadFile);
        var report = (await _host.ImportAsync(_owner, BadFile, dryRun: true)).Value!;
        using var output = new MemoryStream();

        await _host.Get<RejectedRowsFile>().WriteAsync(output, table.Headers, report.Rejections);

        var lines = Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Имя;Телефон;E-mail;Ответственный;Row;Reason", lines[0]);
        Assert.StartsWith("Борис;12345;;;3;", lines[1], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
    }
}
