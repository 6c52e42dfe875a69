using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>Sign-up, sign-in, lockout, sign-out and the language switch, in a real Chromium against the real app.</summary>
public sealed class AccountFlowTests(AccountFlowTests.App app) : IClassFixture<AccountFlowTests.App>
{
    public sealed class App : WebAppFixture;

    [Fact]
    public async Task Signing_up_lands_in_the_console_with_the_new_account_number()
    {
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        var email = $"new-{Guid.NewGuid():N}@example.com";

        await page.GotoAsync("/account/signup");
        await page.FillAsync("#company", "ООО Ромашка");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", "secret123");
        await page.ClickAsync("[data-testid=signup-submit]");
        await page.WaitInteractiveAsync();

        await Assertions.Expect(page.Locator("[data-testid=account-number]")).ToContainTextAsync("Аккаунт №");
        await Assertions.Expect(page.Locator("[data-testid=project-switcher]")).ToContainTextAsync("Проект 1");
    }

    [Fact]
    public async Task A_sign_up_with_a_taken_email_shows_a_clear_error_and_stays_on_the_form()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/signup");
        await page.FillAsync("#company", "<b>Дубль</b>");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", "secret123");
        await page.ClickAsync("[data-testid=signup-submit]");

        await Assertions.Expect(page.Locator("[data-testid=error-email]")).ToContainTextAsync("уже зарегистрирован");
        Assert.Contains("/account/signup", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_returns_to_the_sign_in_page_and_the_console_is_closed()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");

        await page.ClickAsync("[data-testid=user-menu] button");
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(u => u.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/");

        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_gets_a_clear_error()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/login");
        await page.FillAsync("#login", email);
        await page.FillAsync("#password", "wrong-password1");
        await page.ClickAsync("[data-testid=login-submit]");

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("Неверный логин или пароль.");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_login_even_for_the_right_password()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();

        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync("/account/login");
            await page.FillAsync("#login", email);
            await page.FillAsync("#password", "wrong-password1");
            await page.ClickAsync("[data-testid=login-submit]");
            await page.WaitForSelectorAsync("[data-testid=login-error]");
        }

        await page.FillAsync("#login", email);
        await page.FillAsync("#password", "secret123");
        await page.ClickAsync("[data-testid=login-submit]");

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("заблокирован");
    }

    [Fact]
    public async Task Switching_the_language_puts_the_console_in_english()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");

        await page.ClickAsync("[data-testid=language-switch] button");
        await page.GetByText("English").ClickAsync();
        await page.WaitForLoadStateAsync();
        await page.WaitInteractiveAsync();

        await Assertions.Expect(page.Locator("[data-testid=account-number]")).ToContainTextAsync("Account №");
        await Assertions.Expect(page.Locator("[data-testid=nav]")).ToContainTextAsync("Employees");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
    }
}
