using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Projects;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>The employee editor in a real Chromium against the real app: every block, photo, SIP data, errors.</summary>
public sealed class EmployeeEditorFlowTests(EmployeeEditorFlowTests.App app) : IClassFixture<EmployeeEditorFlowTests.App>
{
    // Numbers are unique deployment-wide and the tests share one app: each test uses its own.
    private const string VirtualNumber = "+78123893201";
    private const string OtherVirtualNumber = "+78123893203";

    public sealed class App : WebAppFixture;

    [Fact]
    public async Task An_employee_is_created_with_every_block_filled_then_gets_sip_data_and_is_edited()
    {
        var (owner, email) = await app.SignUpAsync();
        Assert.True((await app.Get<NumberService>().AddAsync(owner, new AddNumberRequest { Number = VirtualNumber })).Succeeded);
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.BaseUrl });
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await page.GotoAsync("/employees/new");
        await page.WaitInteractiveAsync();

        // Profile
        await page.SetBlazorInputFileAsync("[data-testid=photo-input]",
            new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = EditorImages.Png(640, 480) });
        await Assertions.Expect(page.Locator("[data-testid=photo] img")).ToBeVisibleAsync();
        await FillAsync(page, "name", "Иван Петров");
        await FillAsync(page, "login", "ivan");
        await FillAsync(page, "password", "secret123");
        await FillAsync(page, "phone", "8 (921) 555-00-01");
        await FillAsync(page, "email", "ivan@example.com");
        await FillAsync(page, "position", "Менеджер по продажам");
        await page.ClickAsync("[data-testid=displayed-number]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('+7 812 389-32-01')");

        // General settings
        await page.CheckAsync("input[data-testid=receiving-mobile]");
        await page.CheckAsync("input[data-testid=hide-client-number]");
        await page.CheckAsync("input[data-testid=section-Telephony]");
        await Assertions.Expect(page.Locator("[data-testid=sip-save-first]")).ToBeVisibleAsync();

        // Access to sections and permissions
        await page.CheckAsync("input[data-testid=has-access]");
        await page.CheckAsync("input[data-testid=takes-calls]");
        await page.CheckAsync("input[data-testid=project-section-Leads]");
        await page.CheckAsync("input[data-testid=project-section-Deals]");
        await page.CheckAsync("input[data-testid=permission-ExportData]");

        await page.ClickAsync("[data-testid=save]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/employees/\\d+$"));
        var id = int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        var saved = await FindAsync(id);
        Assert.Equal(("Иван Петров", "+79215550001", "Менеджер по продажам", CallReceivingMethod.Mobile, true),
            (saved.Name, saved.Phone, saved.Position, saved.CallReceiving, saved.HideClientNumber));
        Assert.EndsWith("_ivan", saved.Login, StringComparison.Ordinal);
        Assert.Equal(CommonSections.Telephony, saved.CommonSections);
        Assert.Equal(EmployeePermissions.ExportData, saved.Permissions);
        Assert.Equal(ProjectSections.Leads | ProjectSections.Deals, Assert.Single(saved.Memberships).Sections);
        Assert.NotNull(saved.DisplayedNumberId);

        // The photo is served to the console (the list shows it from here).
        var photo = await context.APIRequest.GetAsync($"/photos/{id}");
        Assert.Equal((200, "image/jpeg"), (photo.Status, photo.Headers["content-type"]));
        Assert.Equal((256, 256, SkiaSharp.SKEncodedImageFormat.Jpeg), EditorImages.Describe(await photo.BodyAsync()));

        // SIP data: generate, copy the login and the (hidden) password.
        await page.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=sip-generate]");
        var userName = await page.Locator("[data-testid=sip-username-value]").InnerTextAsync();
        Assert.Equal($"_{id}", userName[userName.IndexOf('_', StringComparison.Ordinal)..]);
        await page.ClickAsync("[data-testid=copy-sip-username]");
        Assert.Equal(userName, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await Assertions.Expect(page.Locator("[data-testid=sip-password-value]")).ToHaveTextAsync("••••••••••••");
        await page.ClickAsync("[data-testid=copy-sip-password]");
        var password = (await app.Get<SipDataService>().RevealPasswordAsync(owner, id)).Value;
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Скопировано" })).ToBeVisibleAsync();
        Assert.Equal(password, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        // Edit and save.
        await FillAsync(page, "position", "Старший менеджер");
        await page.ClickAsync("[data-testid=save]");
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Изменения сохранены" })).ToBeVisibleAsync();
        Assert.Equal("Старший менеджер", (await FindAsync(id)).Position);

        // The list shows the photo and the new position.
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        var row = page.Locator("tr", new() { Has = page.Locator($"[data-testid=row-name][data-id='{id}']") });
        await Assertions.Expect(row.Locator($"img[src^='/photos/{id}']")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("Старший менеджер");
        Assert.True(await row.Locator("img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 256"));
    }

    [Fact]
    public async Task A_virtual_number_entered_as_the_phone_is_refused_with_an_error_naming_the_numbers_page()
    {
        var (owner, email) = await app.SignUpAsync();
        Assert.True((await app.Get<NumberService>().AddAsync(owner, new AddNumberRequest { Number = OtherVirtualNumber })).Succeeded);
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await page.GotoAsync("/employees/new");
        await page.WaitInteractiveAsync();
        await FillAsync(page, "name", "Пётр");
        await FillAsync(page, "login", "petr");
        await FillAsync(page, "password", "secret123");

        await FillAsync(page, "phone", "8 (812) 389-32-03");
        await page.ClickAsync("[data-testid=save]");

        await Assertions.Expect(page.Locator(".mud-input-control:has(input[data-testid=phone]) .mud-input-helper-text"))
            .ToContainTextAsync("Виртуальная АТС → Номера");
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Исправьте ошибки" })).ToBeVisibleAsync();
        Assert.EndsWith("/employees/new", page.Url, StringComparison.Ordinal);
        await using var db = app.Get<IDbContextFactory<LPTracker.Core.Persistence.LptrackerDbContext>>().CreateDbContext();
        Assert.Equal(1, await db.Employees.IgnoreQueryFilters().CountAsync(e => e.AccountId == owner.AccountId));
    }

    [Fact]
    public async Task A_number_added_on_the_numbers_page_becomes_a_projects_single_number()
    {
        var (owner, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await page.GotoAsync("/pbx/numbers");
        await page.WaitInteractiveAsync();

        await FillAsync(page, "number-input", "+7 812 389 32 02");
        await page.ClickAsync("[data-testid=number-add]");
        await Assertions.Expect(page.Locator("[data-testid='number-+78123893202']")).ToContainTextAsync("+7 812 389-32-02");
        await page.ClickAsync("[data-testid=nav] a[href='/pbx/strategy']");
        await page.ClickAsync("[data-testid=single-number]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('+7 812 389-32-02')");
        await page.ClickAsync("[data-testid=strategy-save]");

        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "сохранена" })).ToBeVisibleAsync();
        var strategy = (await app.Get<CallStrategyService>().GetAsync(owner)).Value!;
        Assert.Equal(strategy.Numbers.Single().Id, strategy.Projects.Single().SingleNumberId);
    }

    /// <summary>Types into a Mud text field and leaves it, so its change event fires as a person's would.</summary>
    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"input[data-testid={testId}]");
        await input.FillAsync(value);
        await input.BlurAsync();
    }

    private async Task<Employee> FindAsync(int id)
    {
        await using var db = app.Get<IDbContextFactory<LPTracker.Core.Persistence.LptrackerDbContext>>().CreateDbContext();
        return await db.Employees.IgnoreQueryFilters().AsNoTracking().Include(e => e.Memberships).SingleAsync(e => e.Id == id);
    }
}
