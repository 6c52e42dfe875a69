using System.Text;
using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>Importing contacts from a file in a real Chromium: upload, map, check, run, and the list shows them.</summary>
public sealed class CrmImportFlowTests(WebAppFixture app) : IClassFixture<WebAppFixture>, IAsyncLifetime
{
    private const string Markup = "<b>Жирный</b><script>window.__xss=1</script>";

    private IBrowserContext? _context;

    /// <summary>
    /// What Excel in a Russian locale saves: Windows-1251, <c>;</c>. The name column is headed so the import cannot
    /// guess it (the user maps it); row 4 has a phone no country has.
    /// </summary>
    private static byte[] File() => CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetBytes(
        "Абонент;Телефон;Почта;Компания\r\n"
        + "Иванов Иван;+7 812 389-32-98;ivan@example.com;ООО «Ромашка»\r\n"
        + $"{Markup};8 (812) 389-32-99;;\r\n"
        + "Плохой Номер;12;;\r\n"
        + "Ёжиков Пётр;+7 921 555-00-01;;\r\n");

    [Fact]
    public async Task A_windows_1251_file_is_mapped_checked_with_its_bad_row_numbered_and_its_good_rows_imported()
    {
        var account = await app.NewCrmAccountAsync();
        (_context, var page) = await app.SignedInAsync(account.OwnerEmail);
        await page.OpenAsync("/contacts");
        await page.ClickAsync("[data-testid=contact-import]");
        await page.WaitForURLAsync(url => url.EndsWith("/contacts/import", StringComparison.Ordinal));

        await page.SetBlazorInputFileAsync("[data-testid=import-file]", new FilePayload { Name = "контакты.csv", MimeType = "text/csv", Buffer = File() });
        await Assertions.Expect(page.Locator("[data-testid=import-file-info]")).ToHaveTextAsync("контакты.csv: CSV, Windows-1251, разделитель «;», строк: 4.");
        await page.ClickAsync("[data-testid=map-Name]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('A: Абонент')");
        // MudSelect's overlay takes the next click while its list is open.
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-testid=import-check]");

        await Assertions.Expect(page.Locator("[data-testid=import-summary]")).ToContainTextAsync("Проверка завершена, ничего не записано");
        var rejection = page.Locator("[data-testid=import-rejection]");
        await Assertions.Expect(rejection).ToHaveCountAsync(1);
        await Assertions.Expect(rejection.Locator("td").First).ToHaveTextAsync("4");

        await page.CheckAsync("input[data-testid=import-valid-only]");
        await page.ClickAsync("[data-testid=import-check]");
        await Assertions.Expect(page.Locator("[data-testid=import-summary]")).ToContainTextAsync("новых контактов: 3");
        await page.ClickAsync("[data-testid=import-run]");
        await Assertions.Expect(page.Locator("[data-testid=import-summary]")).ToContainTextAsync("Импорт выполнен — новых контактов: 3");

        await page.OpenAsync("/contacts");
        var names = await page.Locator("[data-testid=contact-row]").SortedTextsAsync(3);
        Assert.Equal(new[] { Markup, "Ёжиков Пётр", "Иванов Иван" }.Order(StringComparer.Ordinal), names);
        await Assertions.Expect(page.Locator("[data-testid=contact-table] b")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }
}
