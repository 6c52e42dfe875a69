using System.Net;
using System.Text.RegularExpressions;
using LPTracker.Core.Persistence;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.Auth;

/// <summary>Issue 10, items 5–8 over real HTTP: sign-out needs the antiforgery token, headers, /health, /culture.</summary>
public sealed partial class HardeningTests(HardeningTests.App app) : IClassFixture<HardeningTests.App>
{
    public const string HealthToken = "health-token-for-tests";

    public sealed class App : WebAppFixture
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Health:Token"] = HealthToken };
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, email, "secret123");
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
    }

    private HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused_and_the_session_stays()
    {
        var (_, email) = await app.SignUpAsync();
        using var client = await SignedInAsync(email);

        using var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        using var after = await client.GetAsync("/employees");

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/health")]
    [InlineData("/not-there")]
    public async Task Every_answer_carries_the_security_headers_and_names_no_server(string path)
    {
        await app.SignUpAsync();
        using var http = Anonymous();

        using var response = await http.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task The_console_page_has_no_inline_script()
    {
        var (_, email) = await app.SignUpAsync();
        using var client = await SignedInAsync(email);

        var html = await client.GetStringAsync("/employees");

        Assert.Contains("<script src=", html, StringComparison.Ordinal);
        Assert.Empty(InlineScript().Matches(html));
    }

    [Fact]
    public async Task A_photo_may_be_kept_by_the_browser_only()
    {
        var (owner, email) = await app.SignUpAsync();
        var file = $"{Guid.NewGuid():N}.jpg";
        Directory.CreateDirectory(Path.Combine(app.DataFolder, "photos"));
        await File.WriteAllBytesAsync(Path.Combine(app.DataFolder, "photos", file), [0xFF, 0xD8, 0xFF, 0xD9]);
        await using (var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            await db.Employees.Where(e => e.Id == owner.EmployeeId).ExecuteUpdateAsync(s => s.SetProperty(e => e.PhotoFile, file));
        }

        using var client = await SignedInAsync(email);
        using var response = await client.GetAsync($"/photos/{owner.EmployeeId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Private);
    }

    [Fact]
    public async Task A_stranger_learns_only_whether_the_console_is_alive()
    {
        using var http = Anonymous();

        using var response = await http.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body);
    }

    [Fact]
    public async Task The_main_account_sees_the_health_details()
    {
        var (_, email) = await app.SignUpAsync();
        using var client = await SignedInAsync(email);

        var body = await client.GetStringAsync("/health");

        Assert.Contains("\"database\"", body, StringComparison.Ordinal);
        Assert.Contains("\"sip\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HealthToken, true)]
    [InlineData("wrong-token", false)]
    [InlineData("", false)]
    public async Task A_monitor_with_the_configured_token_sees_the_health_details(string token, bool details)
    {
        using var http = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(details, body.Contains("\"database\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("%2F%01")]
    [InlineData("%2Femployees%0D%0ASet-Cookie%3Ax")]
    [InlineData("%2F%00")]
    [InlineData("%2F%D1%8F")]
    public async Task The_language_switch_falls_back_to_the_start_page_for_a_strange_return_url(string returnUrl)
    {
        using var http = Anonymous();

        using var response = await http.GetAsync($"/culture/en?returnUrl={returnUrl}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
