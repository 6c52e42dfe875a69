using System.Globalization;
using System.Text;
using LPTracker.Core.Employees.Bulk;
using LPTracker.Core.Employees.Import;
using ImportOptions = LPTracker.Core.Employees.Import.ImportOptions;
using ImportReport = LPTracker.Core.Employees.Import.ImportReport;
using LPTracker.Core.Export;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Audit;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Employees.Import;

/// <summary>Issue 12, item 4: employees from CSV (UTF-8, Windows-1251) and XLSX, dry run first, all or nothing.</summary>
public sealed class EmployeeImportTests : IAsyncLifetime
{
    private const string Header = "Имя;Логин;E-mail;Телефон;Должность;Проекты;Способ приёма звонков";

    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    static EmployeeImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public EmployeeImportTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EmployeeImport Import => _host.Get<EmployeeImport>();

    [Fact]
    public async Task A_windows_1251_csv_is_read_with_its_cyrillic_and_imported()
    {
        var bytes = Encoding.GetEncoding(1251).GetBytes(Header + "\r\nЁлкина Мария;maria;maria@example.com;+7 921 555-00-01;Менеджер;Проект 1;Мобильный\r\n");

        var dry = await DryRunAsync(bytes);
        var done = await ImportAsync(bytes);

        Assert.Equal("Windows-1251", dry.Encoding);
        Assert.Equal(1, dry.ValidRows);
        Assert.Equal(1, done.Created);
        var maria = await FindByLoginAsync("maria");
        Assert.Equal("Ёлкина Мария", maria.Name);
        Assert.Equal("Менеджер", maria.Position);
        Assert.Equal("+79215550001", maria.Phone);
        Assert.Equal(LPTracker.Core.Employees.CallReceivingMethod.Mobile, maria.CallReceiving);
        Assert.Contains(maria.Memberships, m => m.HasAccess && m.TakesCalls);
    }

    [Fact]
    public async Task An_xlsx_workbook_is_imported()
    {
        using var xlsx = new MemoryStream();
        await XlsxWriter.WriteAsync(xlsx, Header.Split(';'), Rows(["Иван Петров", "ivan", "ivan@example.com", "", "", "Проект 1", "SIP"]));

        var done = await ImportAsync(xlsx.ToArray(), "staff.xlsx");

        Assert.Equal(LPTracker.Core.Import.TabularFormat.Xlsx, done.Format);
        Assert.Equal(1, done.Created);
        Assert.Equal("Иван Петров", (await FindByLoginAsync("ivan")).Name);
    }

    [Fact]
    public async Task Five_thousand_rows_are_imported_in_one_go()
    {
        var csv = new StringBuilder(Header + "\r\n");
        for (var i = 0; i < 5000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Сотрудник {i};user{i};user{i}@example.com;;;Проект 1;SIP\r\n");
        }

        var done = await ImportAsync(Encoding.UTF8.GetBytes(csv.ToString()));

        Assert.Empty(done.Errors);
        Assert.Equal(5000, done.Created);
        Assert.Equal(5001, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task Every_bad_row_is_reported_with_its_row_number_and_nothing_is_created()
    {
        await _host.AddNumberAsync(_owner, "+78123893200");
        await _host.AddEmployeeAsync(_owner, "taken");
        var csv = string.Join("\r\n",
            Header,
            "Хороший;good;good@example.com;;;Проект 1;SIP",
            "Дубль;good;;;;;",
            "Занятый;taken;;;;;",
            "Виртуальный;virt;;+7 812 389-32-00;;;",
            "Без проекта;noproj;;;;Нет такого;",
            "Плохая почта;mail;not-an-email;;;;",
            ";noname;;;;;",
            "Способ;method;;;;;Голубиная почта");

        var done = await ImportAsync(Encoding.UTF8.GetBytes(csv));

        Assert.Equal(0, done.Created);
        Assert.Equal(1, done.ValidRows);
        var rows = done.Errors.Select(e => (e.Row, e.Column)).ToList();
        Assert.Equal(
            [(3, EmployeeColumn.Login), (4, EmployeeColumn.Login), (5, EmployeeColumn.Phone), (6, EmployeeColumn.Projects),
             (7, EmployeeColumn.Email), (8, EmployeeColumn.Name), (9, EmployeeColumn.Receiving)],
            rows);
        Assert.Equal($"Логин {await LoginAsync("good")} уже есть в строке 2 файла.", done.Errors[0].Message);
        Assert.Equal("Проект «Нет такого» не найден.", done.Errors[3].Message);
        Assert.Equal(2, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task Importing_the_valid_rows_creates_them_and_skips_the_rest()
    {
        var csv = Header + "\r\nХороший;good;;;;Проект 1;\r\nПлохая почта;mail;not-an-email;;;;\r\n";

        var done = await ImportAsync(Encoding.UTF8.GetBytes(csv), options: new ImportOptions(ImportValidRows: true));

        Assert.Equal(1, done.Created);
        Assert.Single(done.Errors);
        Assert.Equal(2, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task A_dry_run_changes_nothing()
    {
        var audited = (await _host.AuditAsync(_owner.AccountId)).Count;

        var dry = await DryRunAsync(Encoding.UTF8.GetBytes(Header + "\r\nХороший;good;;;;Проект 1;\r\n"));

        Assert.Equal(1, dry.ValidRows);
        Assert.Equal(1, await _host.CountEmployeesAsync(_owner.AccountId));
        Assert.Equal(audited, (await _host.AuditAsync(_owner.AccountId)).Count);
    }

    [Fact]
    public async Task A_file_over_50_megabytes_is_refused()
    {
        var big = new byte[(50 * 1024 * 1024) + 1];
        Encoding.ASCII.GetBytes(Header.Replace("ё", "e", StringComparison.Ordinal)).CopyTo(big, 0);

        var result = await Import.DryRunAsync(_owner, new MemoryStream(big), "big.csv");

        Assert.Equal("Файл больше 50 МБ. Разделите его на несколько файлов.", result.Summary);
    }

    [Fact]
    public async Task Text_renamed_to_xlsx_is_refused_with_a_message()
    {
        var result = await Import.DryRunAsync(_owner, new MemoryStream(Encoding.UTF8.GetBytes(Header + "\r\nА;a;;;;;\r\n")), "staff.xlsx");

        Assert.False(result.Succeeded);
        Assert.StartsWith("«staff.xlsx» назван как книга Excel, но ею не является", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_import_permission_nothing_is_read()
    {
        var olga = await _host.AddEmployeeAsync(_owner, "olga", CommonSections.Employees);

        var result = await Import.ImportAsync(olga, new MemoryStream(Encoding.UTF8.GetBytes(Header + "\r\nА;a;;;;;\r\n")), "a.csv", new ImportOptions());

        Assert.Equal("Для импорта нужно право «Импорт данных».", result.Summary);
        Assert.Equal(2, await _host.CountEmployeesAsync(_owner.AccountId));
    }

    [Fact]
    public async Task An_exported_csv_imports_back()
    {
        var ivan = await _host.AddEmployeeAsync(_owner, "ivan", name: "Иван");
        using var exported = new MemoryStream();
        Assert.True((await _host.Get<EmployeeExport>().WriteCsvAsync(_owner, new EmployeeSelection([ivan.EmployeeId]), exported)).Succeeded);
        var text = Encoding.UTF8.GetString(exported.ToArray()).Replace("_ivan", "_ivan2", StringComparison.Ordinal);

        var done = await ImportAsync(Encoding.UTF8.GetBytes(text), "employees.csv");

        Assert.Equal(1, done.Created);
        Assert.Equal("Иван", (await FindByLoginAsync("ivan2")).Name);
    }

    private async Task<ImportReport> DryRunAsync(byte[] file, string name = "staff.csv")
    {
        var result = await Import.DryRunAsync(_owner, new MemoryStream(file), name);
        Assert.True(result.Succeeded, result.Summary);
        return result.Value!;
    }

    private async Task<ImportReport> ImportAsync(byte[] file, string name = "staff.csv", ImportOptions? options = null)
    {
        var result = await Import.ImportAsync(_owner, new MemoryStream(file), name, options ?? new ImportOptions());
        Assert.True(result.Succeeded, result.Summary);
        return result.Value!;
    }

    private async Task<string> LoginAsync(string suffix)
    {
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        return $"{await db.Accounts.Select(a => a.Number).SingleAsync()}_{suffix}";
    }

    private async Task<LPTracker.Core.Employees.Employee> FindByLoginAsync(string suffix)
    {
        var login = await LoginAsync(suffix);
        await using var db = await _host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(_owner.AccountId);
        return await db.Employees.AsNoTracking().Include(e => e.Memberships).SingleAsync(e => e.Login == login);
    }

    private static async IAsyncEnumerable<IReadOnlyList<object?>> Rows(params IReadOnlyList<object?>[] rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }

        await Task.CompletedTask;
    }
}
