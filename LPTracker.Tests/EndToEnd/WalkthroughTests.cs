using System.Text.RegularExpressions;
using LPTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>
/// A newcomer's first session, as the product description walks it, in Russian and in English: sign up, create a
/// project, add an employee, open the editor, flip the switch, change the language, sign out. It must end with no
/// error in the browser console and no string left untranslated on any page it passed.
/// </summary>
public sealed partial class WalkthroughTests(WalkthroughTests.App app) : IClassFixture<WalkthroughTests.App>
{
    public sealed class App : WebAppFixture;

    /// <summary>English words of the console's own strings that must not appear on a Russian page.</summary>
    private static readonly string[] EnglishWords =
    [
        "Save", "Cancel", "Delete", "Employees", "Employee", "Project", "Working", "Online", "Disconnected", "Never", "Search",
        "Rows per page", "Column", "options", "Loading", "Close", "Clear", "Filter", "Sort", "Edit", "Actions", "Sign in", "Sign out",
        "Language", "Password", "Login", "Name", "Position", "Add", "Create", "Leave", "Stay", "Next", "Previous", "Page",
    ];

    [Fact]
    public Task A_new_account_walks_through_the_console_in_russian() => WalkAsync("ru");

    [Fact]
    public Task A_new_account_walks_through_the_console_in_english() => WalkAsync("en");

    private async Task WalkAsync(string language)
    {
        var ru = language == "ru";
        await using var context = await Browser.NewContextAsync(app.BaseUrl, ru ? "ru-RU" : "en-US");
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add($"page: {error}");
        var untranslated = new List<string>();
        var data = new List<string> { "Проект 1", "Русский", "English" };

        // Sign up (the language is chosen on the sign-up page itself).
        await page.GotoAsync("/account/signup");
        if (!ru)
        {
            await page.ClickAsync("[data-testid=auth-lang-en]");
            await Assertions.Expect(page.Locator("[data-testid=signup-submit]")).ToHaveTextAsync("Sign up");
        }

        await CheckAsync(page, language, data, untranslated, "sign-up");
        var email = $"walk-{Guid.NewGuid():N}@example.com";
        data.Add(email);
        data.Add(email[..email.IndexOf('@', StringComparison.Ordinal)]);
        await page.FillAsync("#company", ru ? "ООО Прогулка" : "Walk Ltd");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", "secret123");
        await page.ClickAsync("[data-testid=signup-submit]");
        await page.WaitInteractiveAsync();
        await CheckAsync(page, language, data, untranslated, "first page");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=employee-grid] [data-testid=row-name]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=last-login]").First).Not.ToHaveTextAsync(ru ? "никогда" : "never");
        await CheckAsync(page, language, data, untranslated, "employees");

        // A second project from the top bar.
        var project = ru ? "Проект Север" : "North project";
        data.Add(project);
        await page.ClickAsync("[data-testid=project-switcher] button");
        await page.ClickAsync($".mud-popover-open .mud-menu-item:has-text('{(ru ? "Новый проект" : "New project")}')");
        await page.FillAsync("input[data-testid=project-name]", project);
        await CheckAsync(page, language, data, untranslated, "new project dialog");
        await page.ClickAsync("[data-testid=project-name-save]");
        await Assertions.Expect(page.Locator("[data-testid=project-switcher]")).ToContainTextAsync(project);

        // An employee in the current project.
        var name = ru ? "Анна Новикова" : "Anna Novikova";
        data.Add(name);
        await page.ClickAsync("[data-testid=add-employee]");
        await page.WaitForURLAsync(u => u.EndsWith("/employees/new", StringComparison.Ordinal));
        await page.WaitInteractiveAsync();
        await CheckAsync(page, language, data, untranslated, "new employee");
        await page.FillAsync("input[data-testid=name]", name);
        await page.FillAsync("input[data-testid=login]", "anna");
        await page.FillAsync("input[data-testid=password]", "secret123");
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForURLAsync(new Regex("/employees/\\d+$"));
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = ru ? "Сотрудник создан" : "Employee created" })).ToContainTextAsync(project);
        await CheckAsync(page, language, data, untranslated, "editor");

        // Back to the list: she is there, working; the switch turns her off.
        await page.ClickAsync("[data-testid=nav] a[href='/employees']");
        var row = page.Locator("[data-testid=employee-grid] tr", new() { Has = page.Locator($"[data-testid=row-name]:has-text('{name}')") });
        await Assertions.Expect(row.Locator("[data-testid=row-status]")).ToHaveTextAsync(ru ? "Работает" : "Working");
        await row.Locator("input[data-testid=row-switch]").ClickAsync(new() { Force = true });
        await Assertions.Expect(row.Locator("[data-testid=row-status]")).ToHaveTextAsync(ru ? "Не работает" : "Not working");
        await CheckAsync(page, language, data, untranslated, "employees after the switch");

        // Her editor from the list.
        await row.Locator("[data-testid=row-name] a").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=editor-title]")).ToHaveTextAsync(name);
        await CheckAsync(page, language, data, untranslated, "editor from the list");

        // The other language, then sign out.
        var other = ru ? "en" : "ru";
        await page.ClickAsync("[data-testid=language-switch] button");
        await page.ClickAsync($".mud-popover-open .mud-menu-item:has-text('{(ru ? "English" : "Русский")}')");
        // Not WaitForFunction: it evaluates a string in the page, which the Content-Security-Policy rightly refuses.
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", other, new() { Timeout = 15_000 });
        await page.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=editor-title]")).ToHaveTextAsync(name);
        await CheckAsync(page, other, data, untranslated, "editor in the other language");
        await page.ClickAsync("[data-testid=user-menu] button");
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(u => u.Contains("/account/login", StringComparison.Ordinal));
        await CheckAsync(page, other, data, untranslated, "sign-in");

        Assert.True(untranslated.Count == 0, string.Join("\n", untranslated));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>
    /// Collects what on the page is not in <paramref name="language"/>: catalogue keys (Russian and English), and
    /// English words on a Russian page or Cyrillic on an English one — the user's own data excepted.
    /// </summary>
    private static async Task CheckAsync(IPage page, string language, List<string> data, List<string> found, string where)
    {
        var text = await page.EvaluateAsync<string>("""
            () => {
              const parts = [document.body.innerText, document.title];
              for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
                for (const a of ['title', 'aria-label', 'placeholder', 'alt']) { const v = el.getAttribute(a); if (v) parts.push(v); }
              }
              return parts.join('\n');
            }
            """);
        foreach (var value in data.OrderByDescending(d => d.Length))
        {
            text = text.Replace(value, " ", StringComparison.OrdinalIgnoreCase); // buttons show it in capitals
        }

        foreach (Match key in CatalogueKey().Matches(text))
        {
            found.Add($"{where}: key {key.Value}");
        }

        if (language == "ru")
        {
            found.AddRange(EnglishWords.Where(w => Regex.IsMatch(text, $"\\b{Regex.Escape(w)}\\b")).Select(w => $"{where}: English «{w}»"));
        }
        else
        {
            found.AddRange(Cyrillic().Matches(text).Select(m => m.Value).Distinct().Select(w => $"{where}: Russian «{w}»"));
        }
    }

    [GeneratedRegex(@"\b(?:Mud\w+_\w+|[A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)+)\b")]
    private static partial Regex CatalogueKey();

    [GeneratedRegex(@"[А-Яа-яЁё]+(?:[\s-]+[А-Яа-яЁё]+)*")]
    private static partial Regex Cyrillic();
}
