using Microsoft.Playwright;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole test run (Playwright's own driver, no browser download);
/// each test opens its own context, so tests stay independent and run in parallel.
/// </summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IBrowser? _browser;

    // Patience for a loaded 2-core machine (CI runs the whole suite in parallel there): actions and navigations 30 s,
    // expectations 15 s (Playwright's 5 s default failed a snackbar and a sign-in redirect under load). A test whose point
    // is a latency says its own, shorter timeout.
    private const float ActionTimeout = 30_000;
    private const float ExpectTimeout = 15_000;

    static Browser() => Assertions.SetDefaultExpectTimeout(ExpectTimeout);

    public static async Task<IBrowserContext> NewContextAsync(string baseUrl, string locale = "ru-RU")
    {
        var browser = await GetAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = locale });
        context.SetDefaultTimeout(ActionTimeout);
        return context;
    }

    private static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true })
            {
                return _browser;
            }

            Tools.Require(ChromiumPath, "chromium");
            var playwright = await Playwright.CreateAsync();
            _browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                ],
            });
            return _browser;
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>Page helpers shared by the end-to-end tests.</summary>
public static class PageExtensions
{
    /// <summary>Waits until the Blazor circuit is up (a prerendered page ignores clicks before that).</summary>
    public static Task WaitInteractiveAsync(this IPage page) =>
        page.WaitForSelectorAsync("html[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Chooses a file in a Blazor <c>InputFile</c> once its script is attached: the prerendered input is on the page
    /// before that, and a file chosen then is silently ignored (seen under load).
    /// </summary>
    public static async Task SetBlazorInputFileAsync(this IPage page, string selector, FilePayload file)
    {
        await page.WaitForFunctionAsync("s => document.querySelector(s)?._blazorInputFileNextFileId !== undefined", selector);
        await page.SetInputFilesAsync(selector, file);
    }

    /// <summary>Signs in through the real sign-in form and waits for the console.</summary>
    public static async Task SignInAsync(this IPage page, string login, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.WaitInteractiveAsync();
    }
}
