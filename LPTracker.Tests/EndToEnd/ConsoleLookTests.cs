using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>What a newcomer sees, measured in a real Chromium: sign-in pages, the top bar on a phone, fields, dialogs.</summary>
public sealed class ConsoleLookTests(ConsoleLookTests.App app) : IClassFixture<ConsoleLookTests.App>
{
    public sealed class App : WebAppFixture;

    [Fact]
    public async Task Sign_up_has_the_consoles_primary_button_the_password_rules_up_front_and_the_language_switch()
    {
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/signup");

        var button = page.Locator("[data-testid=signup-submit]");
        Assert.Equal("rgb(21, 101, 192)", await button.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
        Assert.Equal("rgb(255, 255, 255)", await button.EvaluateAsync<string>("b => getComputedStyle(b).color"));
        await Assertions.Expect(page.Locator("[data-testid=password-rules]")).ToHaveTextAsync("Не короче 8 символов, буквы и цифры.");
        await Assertions.Expect(page.Locator("[data-testid=auth-lang-en]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=auth-lang-ru]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("auth-lang-current"));
    }

    [Fact]
    public async Task A_fields_error_goes_away_as_soon_as_the_field_is_edited_and_the_browser_adds_none_of_its_own()
    {
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/signup");

        await page.ClickAsync("[data-testid=signup-submit]");
        await Assertions.Expect(page.Locator("[data-testid=error-company]")).ToBeVisibleAsync();
        await page.FillAsync("#company", "ООО Ромашка");

        await Assertions.Expect(page.Locator("[data-testid=error-company]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=error-email]")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('form.auth-form').noValidate"));
    }

    [Fact]
    public async Task The_sign_in_page_has_the_same_look()
    {
        await app.SignUpAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/login");

        Assert.Equal("rgb(21, 101, 192)", await page.Locator("[data-testid=login-submit]").EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
        await Assertions.Expect(page.Locator("[data-testid=auth-lang-en]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_top_bar_fits_the_screen()
    {
        var (context, page, _) = await app.OpenSignedInAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(375, 740);
        await page.ReloadAsync();
        await page.WaitInteractiveAsync();

        var bar = page.Locator(".mud-appbar .mud-toolbar");
        await Assertions.Expect(page.Locator("[data-testid=user-menu]")).ToBeVisibleAsync();

        Assert.True(await bar.EvaluateAsync<bool>("t => t.scrollWidth <= t.clientWidth"), "the top bar's content is wider than the bar");
        var menu = await page.Locator("[data-testid=user-menu] button").BoundingBoxAsync();
        Assert.True(menu!.X + menu.Width <= 375, $"the user menu ends at {menu.X + menu.Width} px on a 375 px screen");
        var wide = await page.EvaluateAsync<string>("""
            () => document.documentElement.scrollWidth <= 375 ? "" : [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > 375.5 && e.getClientRects().length > 0)
                .slice(0, 5).map(e => e.tagName + "." + e.className + " «" + e.textContent.trim().slice(0, 40) + "» → " + Math.round(e.getBoundingClientRect().right)).join("; ") + " at " + location.pathname
            """);
        Assert.True(wide.Length == 0, $"the page scrolls sideways: {wide}");
    }

    [Fact]
    public async Task The_search_placeholder_is_not_cut()
    {
        var (context, page, _) = await app.OpenSignedInAsync();
        await using var _ = context;
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        var search = page.Locator("[data-testid=search] input, input[data-testid=search]").First;
        await Assertions.Expect(search).ToBeVisibleAsync();

        // The placeholder's width in the input's own font against the room the input gives its text.
        var fits = await search.EvaluateAsync<bool>("""
            i => {
              const s = getComputedStyle(i);
              const ctx = document.createElement('canvas').getContext('2d');
              ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
              const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
              return ctx.measureText(i.placeholder).width <= room;
            }
            """);

        Assert.True(fits, "the search placeholder is wider than the search field");
    }

    [Fact]
    public async Task The_login_prefix_runs_into_the_typed_login_with_no_gap()
    {
        var (context, page, _) = await app.OpenSignedInAsync();
        await using var _ = context;
        await page.GotoAsync("/employees/new");
        await page.WaitInteractiveAsync();
        await page.FillAsync("input[data-testid=login]", "ivan");

        // Where the prefix's text ends and where the input's text starts, in pixels.
        var gap = await page.Locator("input[data-testid=login]").EvaluateAsync<double>("""
            i => {
              const control = i.closest('.mud-input');
              const text = control.querySelector('.mud-input-adornment-start .mud-input-adornment-text') || control.querySelector('.mud-input-adornment-start');
              const range = document.createRange();
              range.selectNodeContents(text);
              const prefixEnd = range.getBoundingClientRect().right;
              const s = getComputedStyle(i);
              const textStart = i.getBoundingClientRect().left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft);
              return textStart - prefixEnd;
            }
            """);

        Assert.InRange(gap, -1, 1.5);
    }

    [Fact]
    public async Task The_new_project_dialog_shows_no_error_before_typing_and_the_project_menu_closes()
    {
        var (context, page, _) = await app.OpenSignedInAsync();
        await using var _ = context;

        await page.ClickAsync("[data-testid=project-switcher] button");
        await page.ClickAsync(".mud-popover-open .mud-menu-item:has-text('Новый проект')");
        await page.FocusAsync("input[data-testid=project-name]");
        await page.Locator(".mud-dialog").ClickAsync(new() { Position = new() { X = 5, Y = 5 } }); // leaves the field untouched

        await Assertions.Expect(page.Locator(".mud-popover-open .mud-menu-item:has-text('Новый проект')")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-dialog .mud-input-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=project-name-save]")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task Save_stays_on_screen_on_a_long_editor_and_leaving_unsaved_asks_first()
    {
        var (context, page, _) = await app.OpenSignedInAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 600);
        await page.GotoAsync("/employees/new");
        await page.WaitInteractiveAsync();

        await Assertions.Expect(page.Locator("[data-testid=save]")).ToBeInViewportAsync();
        await page.FillAsync("input[data-testid=name]", "Черновик");
        await page.ClickAsync("[data-testid=nav] a[href='/pbx/numbers']");

        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Уйти без сохранения?");
        await page.ClickAsync(".mud-dialog button:has-text('Остаться')");
        Assert.EndsWith("/employees/new", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("input[data-testid=name]")).ToHaveValueAsync("Черновик");
    }
}
