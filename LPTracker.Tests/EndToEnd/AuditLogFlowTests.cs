using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>The audit log page in a real Chromium: a change made in the list shows with who and from where; CSV.</summary>
public sealed class AuditLogFlowTests(AuditLogFlowTests.App app) : IClassFixture<AuditLogFlowTests.App>
{
    public sealed class App : WebAppFixture;

    [Fact]
    public async Task A_switch_toggled_in_the_list_appears_in_the_log_with_the_actor_and_address_and_in_the_csv()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await AddEmployeeThroughEditorAsync(page);
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        var row = page.Locator("[data-testid=employee-grid] tr", new() { Has = page.Locator("[data-testid=row-name]:has-text('Анна Смирнова')") });
        await row.Locator("input[data-testid=row-switch]").ClickAsync(new() { Force = true });
        await Assertions.Expect(row.Locator("[data-testid=row-status]")).ToHaveTextAsync("Не работает");

        await page.GotoAsync("/audit");
        await page.WaitInteractiveAsync();

        var toggled = page.Locator("[data-testid=audit-table] tr", new() { Has = page.Locator("[data-testid=audit-row-action]:has-text('Приём звонков и заявок')") });
        await Assertions.Expect(toggled).ToContainTextAsync("Анна Смирнова");
        await Assertions.Expect(toggled).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(page.Locator("[data-testid=audit-row-action]:has-text('Вход')").First).ToBeVisibleAsync();

        var csv = await context.APIRequest.GetAsync("/audit/export.csv?action=SwitchToggled");
        Assert.Equal(200, csv.Status);
        var text = System.Text.Encoding.UTF8.GetString(await csv.BodyAsync());
        var line = Assert.Single(text.Split("\r\n"), l => l.Contains("Анна Смирнова", StringComparison.Ordinal));
        Assert.EndsWith(";127.0.0.1;Приём звонков и заявок;Анна Смирнова;Приём звонков и заявок;True;False", line, StringComparison.Ordinal);
    }

    private static async Task AddEmployeeThroughEditorAsync(IPage page)
    {
        await page.GotoAsync("/employees/new");
        await page.WaitInteractiveAsync();
        foreach (var (field, value) in new[] { ("name", "Анна Смирнова"), ("login", "anna"), ("password", "secret123") })
        {
            var input = page.Locator($"input[data-testid={field}]");
            await input.FillAsync(value);
            await input.BlurAsync();
        }

        await page.CheckAsync("input[data-testid=has-access]");
        await page.CheckAsync("input[data-testid=takes-calls]");
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/employees/\\d+$"));
    }
}
