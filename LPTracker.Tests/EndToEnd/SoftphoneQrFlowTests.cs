using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>The SIP data block's QR code in a real Chromium: shown with its link, gone (and void) after a regenerate.</summary>
public sealed class SoftphoneQrFlowTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    [Fact]
    public async Task The_editor_shows_a_qr_code_whose_link_a_regenerate_voids()
    {
        var (owner, email) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await page.GotoAsync($"/employees/{ivan.EmployeeId}");
        await page.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=sip-generate]");

        await page.ClickAsync("[data-testid=sip-qr-create]");

        var qr = page.Locator("img[data-testid=sip-qr]");
        await Assertions.Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"));
        var link = await page.Locator("[data-testid=sip-qr-link]").InnerTextAsync();
        Assert.StartsWith($"{app.BaseUrl}/provisioning/", link, StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=sip-regenerate]");
        await page.ClickAsync(".mud-dialog button:has-text('Сгенерировать заново')");
        // The snackbar of the first generation may still be up: wait for the regeneration's own.
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "SIP данные заменены" })).ToBeVisibleAsync();
        await Assertions.Expect(qr).ToHaveCountAsync(0);
        var stale = await context.APIRequest.GetAsync(link);
        Assert.Equal(404, stale.Status);
    }
}
