using System.Text;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>
/// The CRM rights as an employee meets them in a real Chromium against the real console: "see others" on the lists,
/// a typed card URL and the export; the overdue gate; a section the employee lacks. Each test signs up its own account.
/// </summary>
public sealed class CrmRightsFlowTests(WebAppFixture app) : IClassFixture<WebAppFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>Everything but "see others": what is hidden is hidden by that right alone.</summary>
    private const EmployeePermissions WithoutSeeOthers = EmployeePermissions.All & ~EmployeePermissions.SeeOthersItems;

    private const ProjectSections Crm = ProjectSections.Leads | ProjectSections.Deals | ProjectSections.Contacts | ProjectSections.Tasks;

    /// <summary>
    /// A manager without "see others", a colleague, a lead, a deal and a task of each, a pool lead, and a task the
    /// manager gave the colleague (theirs to see under «Все», not under «Мои задачи»).
    /// </summary>
    private sealed record SeeOthersCase(CrmEmployee Manager, int ColleaguesLead);

    private async Task<SeeOthersCase> ArrangeSeeOthersAsync()
    {
        var account = await app.NewCrmAccountAsync();
        var anna = await app.AddEmployeeAsync(account, "anna", "Анна Менеджер", Crm, WithoutSeeOthers);
        var boris = await app.AddEmployeeAsync(account, "boris", "Борис Коллега", Crm, EmployeePermissions.All);
        var tomorrow = DateTime.UtcNow.AddDays(1);
        await app.AddLeadAsync(account, "Лид Анны", anna, tomorrow);
        await app.AddLeadAsync(account, "Лид из пула", null, tomorrow);
        var borisLead = await app.AddLeadAsync(account, "Лид Бориса", boris, tomorrow);
        await app.AddLeadAsync(account, "Сделка Анны", anna, tomorrow, StageKind.Deal);
        await app.AddLeadAsync(account, "Сделка Бориса", boris, tomorrow, StageKind.Deal);
        await app.AddTaskAsync(account, "Задача Анны", anna);
        await app.AddTaskAsync(account, "Задача Бориса", boris);
        await app.AddTaskAsync(account, "Поручение Анны Борису", boris, author: anna);
        return new SeeOthersCase(anna, borisLead);
    }

    [Fact]
    public async Task A_manager_without_see_others_sees_own_and_pool_leads_deals_and_tasks_only_and_a_typed_url_is_refused()
    {
        var arranged = await ArrangeSeeOthersAsync();
        var page = await SignInAsync(arranged.Manager.Login);

        await page.OpenAsync("/leads");
        Assert.Equal(["Лид Анны", "Лид из пула"], await page.Locator("[data-testid=lead-row]").SortedTextsAsync(2));

        await page.OpenAsync("/deals");
        Assert.Equal(["Сделка Анны"], await page.Locator("[data-testid=lead-row]").SortedTextsAsync(1));

        await page.OpenAsync("/tasks");
        var tasks = page.Locator("[data-testid=task-row] td:nth-child(2)");
        Assert.Equal(["Задача Анны"], await tasks.SortedTextsAsync(1));
        await page.ClickAsync("[data-testid=task-scope] >> text=Все");
        Assert.Equal(["Задача Анны", "Поручение Анны Борису"], await tasks.SortedTextsAsync(2));

        await page.OpenAsync($"/leads/{arranged.ColleaguesLead}");
        await Assertions.Expect(page.Locator("[data-testid=no-access]")).ToBeVisibleAsync();
        Assert.DoesNotContain("Лид Бориса", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("источник", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_button_of_a_manager_without_see_others_downloads_exactly_the_rows_they_see()
    {
        var arranged = await ArrangeSeeOthersAsync();
        var page = await SignInAsync(arranged.Manager.Login);
        await page.OpenAsync("/leads");
        await Assertions.Expect(page.Locator("[data-testid=lead-row]")).ToHaveCountAsync(2);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=lead-export]"));

        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var title = Array.IndexOf(lines[0].Split(';'), "Title");
        var titles = lines.Skip(1).Select(line => line.Split(';')[title].Trim('"')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Лид Анны", "Лид из пула"], titles);
        Assert.DoesNotContain("Бориса", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_employee_with_an_overdue_lead_sees_only_it_until_they_move_its_step_date_with_a_reason()
    {
        var account = await app.NewCrmAccountAsync();
        var vera = await app.AddEmployeeAsync(account, "vera", "Вера Менеджер", Crm,
            EmployeePermissions.All & ~(EmployeePermissions.SeeNewLeadsWithUnprocessed | EmployeePermissions.SkipStepDateReason));
        var overdue = await app.AddLeadAsync(account, "Просроченный лид", vera, DateTime.UtcNow.AddDays(-2));
        await app.AddLeadAsync(account, "Новый лид Веры", vera, DateTime.UtcNow.AddDays(2));
        var pool = await app.AddLeadAsync(account, "Лид из пула", null, DateTime.UtcNow.AddDays(2));
        var page = await SignInAsync(vera.Login);

        await page.OpenAsync("/leads");
        await Assertions.Expect(page.Locator("[data-testid=overdue-banner]")).ToContainTextAsync("Обработайте 1 просроченных лидов");
        Assert.Equal(["Просроченный лид"], await page.Locator("[data-testid=lead-row]").SortedTextsAsync(1));
        await page.OpenAsync($"/leads/{pool}");
        await Assertions.Expect(page.Locator("[data-testid=no-access]")).ToBeVisibleAsync();

        await page.OpenAsync($"/leads/{overdue}");
        await Assertions.Expect(page.Locator("[data-testid=lead-overdue]")).ToBeVisibleAsync();
        var nextWeek = DateTime.Now.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await FillAsync(page, "lead-step-date", nextWeek);
        await page.ClickAsync("[data-testid=lead-save]");
        await Assertions.Expect(page.Locator(".mud-input-control:has(input[data-testid=lead-reason]) .mud-input-helper-text"))
            .ToHaveTextAsync("Укажите причину изменения даты шага.");
        await Assertions.Expect(page.Locator("[data-testid=lead-overdue]")).ToBeVisibleAsync();
        await FillAsync(page, "lead-reason", "Клиент просил перезвонить через неделю");
        await page.ClickAsync("[data-testid=lead-save]");
        await Assertions.Expect(page.Locator("[data-testid=lead-overdue]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=lead-history]")).ToContainTextAsync("Клиент просил перезвонить через неделю");

        await page.OpenAsync("/leads");
        Assert.Equal(["Лид из пула", "Новый лид Веры", "Просроченный лид"], await page.Locator("[data-testid=lead-row]").SortedTextsAsync(3));
        await Assertions.Expect(page.Locator("[data-testid=overdue-banner]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Without_the_leads_section_the_menu_has_no_leads_and_a_typed_url_shows_no_access()
    {
        var account = await app.NewCrmAccountAsync();
        var gleb = await app.AddEmployeeAsync(account, "gleb", "Глеб Без Лидов", ProjectSections.Contacts | ProjectSections.Deals, EmployeePermissions.All);
        var lead = await app.AddLeadAsync(account, "Лид без раздела", gleb, DateTime.UtcNow.AddDays(1));
        var page = await SignInAsync(gleb.Login);

        await page.OpenAsync("/contacts");
        await Assertions.Expect(page.Locator("[data-testid=nav] a[href='/contacts']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav] a[href='/deals']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav] a[href='/leads']")).ToHaveCountAsync(0);

        foreach (var path in new[] { "/leads", $"/leads/{lead}", "/leads/import" })
        {
            await page.OpenAsync(path);
            await Assertions.Expect(page.Locator("[data-testid=no-access]")).ToBeVisibleAsync();
            Assert.DoesNotContain("Лид без раздела", await page.ContentAsync(), StringComparison.Ordinal);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }

    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"input[data-testid={testId}]");
        await input.FillAsync(value);
        await input.BlurAsync();
    }

    private async Task<IPage> SignInAsync(string login)
    {
        var (context, page) = await app.SignedInAsync(login);
        _contexts.Add(context);
        return page;
    }
}
