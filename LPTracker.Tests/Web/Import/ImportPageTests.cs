using Bunit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Tests.Core.Contacts;
using LPTracker.Tests.Core.Import;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Import;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Web.Import;

public sealed class ImportPageTests : IAsyncLifetime
{
    private const string File = "ФИО;Телефон;Почта\nАнна;+79001112233;anna@example.com\nБорис;12345;\nВера;+79002223344;\n";

    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync();
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    private ConsoleBunitContext OnImportPage(CallerContext caller, out IRenderedComponent<CrmImportPage> page, string url = "/contacts/import")
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.SignInAs(caller);
        ctx.RenderPopoverProvider();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        page = ctx.Render<CrmImportPage>();
        return ctx;
    }

    [Fact]
    public async Task An_uploaded_file_gets_its_columns_suggested_and_a_check_lists_the_bad_rows_without_writing()
    {
        await using var ctx = OnImportPage(_owner, out var cut);

        cut.WaitForElement("[data-testid=import-file]");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(File, "contacts.csv"));
        cut.WaitForAssertion(() => Assert.Contains("UTF-8", cut.Find("[data-testid=import-file-info]").TextContent, StringComparison.Ordinal));
        Assert.Contains("B: Телефон", cut.Find("[data-testid=map-Phone]").TextContent + cut.Markup, StringComparison.Ordinal);
        cut.Find("[data-testid=import-check]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=import-rejection]")));
        Assert.StartsWith("3", cut.Find("[data-testid=import-rejection]").TextContent, StringComparison.Ordinal);
        Assert.Contains("ничего не записано", cut.Find("[data-testid=import-summary]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=import-rejected-file]").GetAttribute("href"));
        Assert.Empty(await _core.ContactNamesAsync(_owner));
    }

    [Fact]
    public async Task The_run_after_a_check_imports_the_valid_rows_when_the_user_asks_for_it()
    {
        await using var ctx = OnImportPage(_owner, out var cut);
        cut.WaitForElement("[data-testid=import-file]");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(File, "contacts.csv"));
        var validOnly = cut.WaitForElement("[data-testid=import-valid-only]");
        (validOnly.TagName == "INPUT" ? validOnly : validOnly.QuerySelector("input")!).Change(true);
        cut.Find("[data-testid=import-check]").Click();
        cut.WaitForAssertion(() => Assert.Null(cut.Find("[data-testid=import-run]").GetAttribute("disabled")));

        cut.Find("[data-testid=import-run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Импорт выполнен", cut.Find("[data-testid=import-summary]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["Анна", "Вера"], await _core.ContactNamesAsync(_owner));
    }

    [Fact]
    public async Task A_renamed_text_file_is_refused_with_a_message()
    {
        await using var ctx = OnImportPage(_owner, out var cut);
        cut.WaitForElement("[data-testid=import-file]");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(File, "contacts.xlsx"));

        cut.WaitForAssertion(() => Assert.Contains("назван как книга Excel", cut.Find("[data-testid=import-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=import-mapping]"));
    }

    [Fact]
    public async Task Without_the_import_permission_the_page_shows_no_access()
    {
        var ivan = await _core.AddCrmEmployeeAsync(_owner, "ivan", ProjectSections.Contacts | ProjectSections.Leads, EmployeePermissions.ExportData);
        await using var ctx = OnImportPage(ivan, out var cut, "/leads/import");

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=import-file]")));
        Assert.Contains("no-access", cut.Markup, StringComparison.Ordinal);
    }
}
