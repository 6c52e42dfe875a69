using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>Forgot password in a real Chromium with a real SMTP server: neutral answer, link by e-mail, single use.</summary>
public sealed class PasswordResetFlowTests(PasswordResetFlowTests.App app) : IClassFixture<PasswordResetFlowTests.App>
{
    public sealed class App : WebAppFixture
    {
        public SmtpTestServer Smtp { get; private set; } = null!;

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public override async Task InitializeAsync()
        {
            Smtp = await SmtpTestServer.StartAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_main_account_resets_its_password_by_e_mail_and_the_link_works_once()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();

        var unknownAnswer = await RequestResetAsync(page, "nobody-" + email);
        var knownAnswer = await RequestResetAsync(page, email);
        var link = SmtpTestServer.LinkIn(await app.Smtp.NextAsync());

        Assert.Equal(unknownAnswer, knownAnswer);
        await page.GotoAsync(link);
        await page.FillAsync("#password", "brandnew123");
        await page.FillAsync("#confirmation", "brandnew123");
        await page.ClickAsync("[data-testid=password-submit]");
        await Assertions.Expect(page.Locator("[data-testid=password-set]")).ToBeVisibleAsync();
        await page.SignInAsync(email, "brandnew123");
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("[data-testid=link-invalid]")).ToBeVisibleAsync();
    }

    private static async Task<string> RequestResetAsync(IPage page, string login)
    {
        await page.GotoAsync("/account/login");
        await page.ClickAsync("[data-testid=forgot-link]");

        // The link is an enhanced navigation: the sign-in page (which has its own #login) stays in the DOM until the
        // forgot page is patched in, and the patch resets the field's value. Typing before that submitted an empty
        // login (no mail, the same neutral answer): wait for the forgot page's own button first.
        await Assertions.Expect(page.Locator("[data-testid=forgot-submit]")).ToBeVisibleAsync();
        await page.FillAsync("#login", login);
        await page.ClickAsync("[data-testid=forgot-submit]");
        return await page.Locator("[data-testid=forgot-sent]").InnerTextAsync();
    }
}
