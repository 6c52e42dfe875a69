using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>A real phone (baresip) registers with credentials made in the console; the grid follows it live.</summary>
public sealed class SipStatusLiveTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    [Fact]
    public async Task The_chip_turns_online_when_baresip_registers_and_disconnected_when_it_quits_without_reload()
    {
        var (owner, email) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var sip = await app.Get<SipDataService>().GenerateAsync(owner, ivan.EmployeeId);
        var password = (await app.Get<SipDataService>().RevealPasswordAsync(owner, ivan.EmployeeId)).Value!;
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=scope-all]");
        var chip = page.Locator("tr", new() { Has = page.Locator("[data-testid=row-name]:has-text('ivan')") }).Locator("[data-testid=sip-status]");
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-status", "Disconnected");
        var navigations = 0;
        page.FrameNavigated += (_, _) => navigations++;

        using var phone = BaresipPhone.Start(app.SipUdp, sip.Value!.UserName!, password);
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-status", "Online", new() { Timeout = 15_000 });
        await Assertions.Expect(chip).ToHaveTextAsync("В сети");
        await phone.QuitAsync();

        await Assertions.Expect(chip).ToHaveAttributeAsync("data-status", "Disconnected", new() { Timeout = 15_000 });
        Assert.Equal(0, navigations);
    }
}
