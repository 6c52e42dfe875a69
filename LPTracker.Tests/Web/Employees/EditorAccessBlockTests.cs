using Bunit;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Employees.Editor;

namespace LPTracker.Tests.Web.Employees;

/// <summary>The Access to sections and Permissions blocks.</summary>
public sealed class EditorAccessBlockTests : IAsyncLifetime
{
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    private EmployeeEditorService Editor => _core.Get<EmployeeEditorService>();

    [Fact]
    public async Task The_access_table_has_a_row_per_project_with_access_calls_and_seven_sections()
    {
        var second = await _core.AddProjectAsync(_owner, "Проект 2");
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<SectionAccessBlock>(p => p.Add(b => b.State, state));

        var rows = cut.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Проект 2", cut.Find($"[data-testid=access-row-{second}]").TextContent, StringComparison.Ordinal);
        Assert.Equal(9, rows[0].QuerySelectorAll("input[type=checkbox]").Length);
        Assert.Contains("Настройки проекта", cut.Find("thead").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticking_cells_sets_the_rows_access_calls_and_sections()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<SectionAccessBlock>(p => p.Add(b => b.State, state));

        cut.Find("input[data-testid=has-access]").Change(true);
        cut.Find("input[data-testid=takes-calls]").Change(true);
        cut.Find("input[data-testid=project-section-Leads]").Change(true);
        cut.Find("input[data-testid=project-section-Analytics]").Change(true);

        var row = state.Form.Projects.Single();
        Assert.Equal((true, true, ProjectSections.Leads | ProjectSections.Analytics), (row.HasAccess, row.TakesCalls, row.Sections));
    }

    [Fact]
    public async Task Project_sections_the_caller_lacks_there_cannot_be_ticked()
    {
        var admin = await _core.AddEmployeeAsync(_owner, "admin", CommonSections.Employees);
        var state = new EditorState((await Editor.NewAsync(admin)).Value!, admin);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<SectionAccessBlock>(p => p.Add(b => b.State, state));

        Assert.False(cut.Find("input[data-testid=project-section-Leads]").HasAttribute("disabled"));
        Assert.True(cut.Find("input[data-testid=project-section-Deals]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_permissions_block_lists_the_seven_rights_and_sets_them()
    {
        var state = new EditorState((await Editor.NewAsync(_owner)).Value!, _owner);
        await using var ctx = new ConsoleBunitContext(_core);
        var cut = ctx.Render<PermissionsBlock>(p => p.Add(b => b.State, state));

        cut.Find("input[data-testid=permission-ExportData]").Change(true);
        cut.Find("input[data-testid=permission-TransferToOthers]").Change(true);

        Assert.Equal(7, cut.FindAll("input[type=checkbox]").Count);
        Assert.Contains("Видеть новые лиды при наличии необработанных", cut.Markup, StringComparison.Ordinal);
        Assert.Equal(EmployeePermissions.ExportData | EmployeePermissions.TransferToOthers, state.Form.Permissions);
    }

    [Fact]
    public async Task Permissions_the_caller_lacks_cannot_be_ticked()
    {
        var admin = await _core.AddEmployeeAsync(_owner, "admin", CommonSections.Employees);
        await _core.SetRightsAsync(admin, CommonSections.Employees, EmployeePermissions.ImportData);
        var state = new EditorState((await Editor.NewAsync(admin)).Value!, admin);
        await using var ctx = new ConsoleBunitContext(_core);

        var cut = ctx.Render<PermissionsBlock>(p => p.Add(b => b.State, state));

        Assert.False(cut.Find("input[data-testid=permission-ImportData]").HasAttribute("disabled"));
        Assert.True(cut.Find("input[data-testid=permission-DeleteData]").HasAttribute("disabled"));
    }
}
