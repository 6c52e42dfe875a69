using System.Text;
using LPTracker.Core.Accounts;
using LPTracker.Core.Audit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Audit;

/// <summary>Who may read which records, filters, CSV export and retention.</summary>
public sealed class AuditLogServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public AuditLogServiceTests() => System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(b => b.Configuration["Audit:RetentionDays"] = "30");
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AuditLogService Log => _host.Get<AuditLogService>();

    private async Task SignInAsync(CallerContext who, string password = "secret123")
    {
        var login = (await _host.FindEmployeeAsync(who.EmployeeId))!.Login;
        await _host.Get<SignInService>().SignInAsync(login, password);
    }

    [Fact]
    public async Task The_main_account_sees_its_own_records_and_another_account_sees_none_of_them()
    {
        var anna = await _host.AddEmployeeAsync(_owner, "anna");
        await SignInAsync(anna);
        var stranger = await _host.SignUpAsync();

        var mine = (await Log.SearchAsync(_owner, new AuditFilter(), 0, 50)).Value!;
        var theirs = (await Log.SearchAsync(stranger, new AuditFilter(TargetId: anna.EmployeeId), 0, 50)).Value!;

        Assert.Contains(mine.Rows, r => r.Action == AuditAction.SignIn && r.TargetEmployeeId == anna.EmployeeId);
        Assert.Empty(theirs.Rows);
    }

    [Fact]
    public async Task An_administrator_without_the_main_account_never_sees_records_about_the_main_account()
    {
        var admin = await _host.AddEmployeeAsync(_owner, "admin", CommonSections.Employees);
        var anna = await _host.AddEmployeeAsync(_owner, "anna");
        await SignInAsync(_owner);
        await SignInAsync(anna);

        var seen = (await Log.SearchAsync(admin, new AuditFilter(), 0, 50)).Value!;

        Assert.Contains(seen.Rows, r => r.TargetEmployeeId == anna.EmployeeId);
        Assert.DoesNotContain(seen.Rows, r => r.TargetEmployeeId == _owner.EmployeeId);
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_is_refused()
    {
        var anna = await _host.AddEmployeeAsync(_owner, "anna");

        var result = await Log.SearchAsync(anna, new AuditFilter(), 0, 50);
        using var csv = new MemoryStream();

        Assert.False(result.Succeeded);
        Assert.False(await Log.ExportCsvAsync(anna, new AuditFilter(), csv));
    }

    [Fact]
    public async Task Filters_by_action_and_period_narrow_the_list()
    {
        var anna = await _host.AddEmployeeAsync(_owner, "anna");
        await SignInAsync(anna);
        _host.Time.Advance(TimeSpan.FromDays(2));
        await SignInAsync(anna, "wrong-password1");

        var failures = (await Log.SearchAsync(_owner, new AuditFilter(Action: AuditAction.SignInFailed), 0, 50)).Value!;
        var early = (await Log.SearchAsync(_owner, new AuditFilter(ToUtc: _host.Time.GetUtcNow().UtcDateTime.AddDays(-1)), 0, 50)).Value!;

        Assert.Equal(AuditAction.SignInFailed, Assert.Single(failures.Rows).Action);
        Assert.Contains(early.Rows, r => r.Action == AuditAction.SignIn);
        Assert.DoesNotContain(early.Rows, r => r.Action == AuditAction.SignInFailed);
    }

    [Fact]
    public async Task The_csv_has_a_bom_semicolons_one_line_per_field_and_neutralised_formulas()
    {
        var editor = _host.Get<LPTracker.Core.Employees.EmployeeEditorService>();
        var form = EditorArrange.ValidNewForm((await editor.NewAsync(_owner)).Value!, "formula");
        form.Name = "=HYPERLINK(\"http://x\";\"y\")";
        form.Position = "@SUM(A1)";
        Assert.True((await editor.CreateAsync(_owner, form)).Succeeded);
        using var output = new MemoryStream();

        Assert.True(await Log.ExportCsvAsync(_owner, new AuditFilter(Action: AuditAction.EmployeeCreated), output));

        var bytes = output.ToArray();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("Время;Кто;Адрес;Что;Кого / что;Поле;Было;Стало\r\n", text, StringComparison.Ordinal);
        Assert.Contains(";Имя;;\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"\r\n", text, StringComparison.Ordinal);
        Assert.Contains(";Должность;;'@SUM(A1)\r\n", text, StringComparison.Ordinal);
        Assert.Contains(";+78123893298\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_deletes_only_records_older_than_the_configured_days()
    {
        var anna = await _host.AddEmployeeAsync(_owner, "anna");
        await SignInAsync(anna);
        _host.Time.Advance(TimeSpan.FromDays(31));
        await SignInAsync(anna, "wrong-password1");

        var deleted = await _host.Get<AuditRetention>().PurgeAsync();

        Assert.True(deleted >= 1);
        var left = await _host.AuditAsync(_owner.AccountId);
        Assert.Equal(AuditAction.SignInFailed, Assert.Single(left).Action);
    }
}
