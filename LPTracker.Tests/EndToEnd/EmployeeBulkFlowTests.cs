using System.Text;
using LPTracker.Core.Accounts;
using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>Bulk actions and import in a real Chromium against the real app, on the demo account №19079.</summary>
public sealed class EmployeeBulkFlowTests(EmployeeBulkFlowTests.App app) : IClassFixture<EmployeeBulkFlowTests.App>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    public sealed class App : WebAppFixture
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Get<DemoSeeder>().SeedAsync();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task Two_ticked_employees_are_switched_off_after_one_confirmation_with_a_summary()
    {
        var page = await OpenAsync("/employees");
        await Assertions.Expect(page.Locator("[data-testid=employee-grid] [data-testid=row-name]").First).ToBeVisibleAsync();

        await Row(page, "Иван Петров").Locator("input[data-testid=row-select]").CheckAsync();
        await Row(page, "Мария Смирнова").Locator("input[data-testid=row-select]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-count]")).ToHaveTextAsync("Выбрано: 2");
        await page.ClickAsync("[data-testid=bulk-bar] .mud-menu button");
        await page.ClickAsync("[data-testid=bulk-SwitchOff]");
        await page.ClickAsync("[data-testid=bulk-confirm]");

        await Assertions.Expect(page.Locator("[data-testid=bulk-summary-counts]")).ToContainTextAsync("сделано — 2");
        await Assertions.Expect(Row(page, "Иван Петров").Locator("[data-testid=row-status]")).ToHaveTextAsync("Не работает");
        await Assertions.Expect(Row(page, "Мария Смирнова").Locator("[data-testid=row-status]")).ToHaveTextAsync("Не работает");
    }

    [Fact]
    public async Task A_file_is_checked_its_bad_row_shown_and_the_valid_rows_imported()
    {
        var page = await OpenAsync("/employees/import");
        var csv = "Имя;Логин;E-mail;Телефон;Должность;Проекты;Способ приёма звонков\r\n"
            + "Пётр Импортов;petr_imp;petr@example.com;;Стажёр;Проект 1;SIP\r\n"
            + "Плохой;bad_imp;не почта;;;;\r\n";

        await page.SetBlazorInputFileAsync("input[type=file]", new FilePayload
        {
            Name = "staff.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });

        await Assertions.Expect(page.Locator("[data-testid=import-counts]")).ToContainTextAsync("Строк в файле: 2, без ошибок: 1, с ошибками: 1");
        await Assertions.Expect(page.Locator("[data-testid=import-error-row][data-row='3']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=import-run]")).ToBeDisabledAsync();
        await page.ClickAsync("[data-testid=import-valid-rows]");
        await page.ClickAsync("[data-testid=import-run]");

        await Assertions.Expect(page.Locator("[data-testid=import-done]")).ToContainTextAsync("Создано сотрудников: 1");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        await Assertions.Expect(Row(page, "Пётр Импортов")).ToBeVisibleAsync();
    }

    private async Task<IPage> OpenAsync(string path)
    {
        var context = await Browser.NewContextAsync(app.BaseUrl);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.SignInAsync(DemoSeeder.MainEmail, DemoSeeder.Password);
        await page.GotoAsync(path);
        await page.WaitInteractiveAsync();
        return page;
    }

    private static ILocator Row(IPage page, string name) =>
        page.Locator("[data-testid=employee-grid] tr", new() { Has = page.Locator($"[data-testid=row-name]:has-text('{name}')") });
}
