using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>
/// Creating an employee with an invitation instead of a password, in a real Chromium: the SMTP server down (the
/// employee is created, the failure is said, sending again works once it is up), then a recipient the server refuses
/// (550: the editor and the list say the invitation bounced).
/// </summary>
public sealed class InvitationFlowTests(InvitationFlowTests.App app) : IClassFixture<InvitationFlowTests.App>
{
    private const string Refused = "nobody@bounce.example.com";

    /// <summary>The console sending mail to a loopback port where, at first, nothing listens.</summary>
    public sealed class App : WebAppFixture
    {
        public int SmtpPort { get; } = SmtpTestServer.FreePort();

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    [Fact]
    public async Task An_employee_is_created_with_an_invitation_that_is_resent_after_a_failure_and_a_bounce_is_shown()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");

        var ivan = await CreateInvitedAsync(page, "ivan", "ivan@example.com");

        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "приглашение не отправлено" })).ToBeVisibleAsync();
        await using var smtp = await SmtpTestServer.StartAsync(to => to == Refused, app.SmtpPort);
        await page.ClickAsync("[data-testid=invite-send]");
        await Assertions.Expect(page.Locator("[data-testid=invite-result]")).ToContainTextAsync("Приглашение отправлено на ivan@example.com");
        Assert.Equal("ivan@example.com", (await smtp.NextAsync()).To.Mailboxes.Single().Address);
        Assert.True(ivan > 0);

        var petr = await CreateInvitedAsync(page, "petr", Refused);

        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "550" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await page.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=invite-bounced]")).ToContainTextAsync("550");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=scope-all]");
        var row = page.Locator("tr", new() { Has = page.Locator($"[data-testid=row-name][data-id='{petr}']") });
        await Assertions.Expect(row.Locator("[data-testid=invitation-bounced]")).ToBeVisibleAsync();
    }

    private static async Task<int> CreateInvitedAsync(IPage page, string login, string address)
    {
        await page.GotoAsync("/employees/new");
        await page.WaitInteractiveAsync();
        await FillAsync(page, "name", login);
        await FillAsync(page, "login", login);
        await page.CheckAsync("input[data-testid=send-invitation]");
        await Assertions.Expect(page.Locator("input[data-testid=password]")).ToHaveCountAsync(0);
        await FillAsync(page, "email", address);
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/employees/\\d+$"));
        await page.WaitInteractiveAsync();
        return int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"input[data-testid={testId}]");
        await input.FillAsync(value);
        await input.BlurAsync();
    }
}
