using System.Net;
using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>Issue 10, items 6 and 8 in a real Chromium: the CSP breaks nothing, a signed-out cookie is dead.</summary>
public sealed class SecurityFlowTests(SecurityFlowTests.App app) : IClassFixture<SecurityFlowTests.App>
{
    public sealed class App : WebAppFixture;

    [Fact]
    public async Task The_console_runs_under_the_content_security_policy_without_a_violation()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            // Only what the policy refused: a missing favicon is not this test's business.
            if (m.Type == "error" && (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)
                || m.Text.StartsWith("Refused to", StringComparison.Ordinal)))
            {
                lock (errors)
                {
                    errors.Add($"{m.Text} ({m.Location})");
                }
            }
        };

        await page.SignInAsync(email, "secret123");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=user-menu] button");
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToBeVisibleAsync();
        await page.GotoAsync("/employees/new");
        await page.WaitInteractiveAsync();

        lock (errors)
        {
            Assert.True(errors.Count == 0, string.Join('\n', errors));
        }
    }

    [Fact]
    public async Task A_cookie_copied_before_sign_out_no_longer_opens_the_console()
    {
        var (_, email) = await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        var copied = (await context.CookiesAsync()).Single(c => c.Name == "lpt.auth");

        await page.ClickAsync("[data-testid=user-menu] button");
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(u => u.Contains("/account/login", StringComparison.Ordinal));
        var cookies = new CookieContainer();
        cookies.Add(new Uri(app.BaseUrl), new System.Net.Cookie(copied.Name, copied.Value));
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        using var response = await http.GetAsync("/employees");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
