using System.Net;
using System.Net.Http.Headers;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;

namespace LPTracker.Tests.Web.Operations;

/// <summary>The console with its Prometheus endpoint behind a token.</summary>
public sealed class MetricsAppFixture : TelephonyAppFixture
{
    public const string Token = "scrape-secret-0123456789";

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Metrics:Token"] = Token,
    };
}

/// <summary>Prometheus metrics: SIP counters, console gauges and request durations, only for the scraper.</summary>
public sealed class MetricsEndpointTests(MetricsAppFixture app) : IClassFixture<MetricsAppFixture>
{
    [Fact]
    public async Task A_scrape_with_the_token_shows_registrations_bindings_calls_circuits_and_request_durations()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        Assert.Equal(200, await phone.RegisterAsync());
        using var http = new HttpClient();
        (await http.GetAsync(app.BaseUrl + "/account/login")).Dispose();

        var body = "";
        await Eventually.TrueAsync(async () =>
        {
            var (status, text) = await ScrapeAsync(MetricsAppFixture.Token);
            body = text;
            return status == HttpStatusCode.OK && text.Contains("lpt_sip_registrations_total", StringComparison.Ordinal)
                && text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal);
        }, "a scrape with SIP and HTTP metrics", TimeSpan.FromSeconds(15));

        Assert.Contains("lpt_sip_bindings", body, StringComparison.Ordinal);
        Assert.Contains("lpt_calls_active", body, StringComparison.Ordinal);
        Assert.Contains("lpt_circuits_active", body, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^lpt_sip_registrations_total\S* [1-9]", body);
    }

    [Fact]
    public async Task A_scrape_without_the_token_or_with_a_wrong_one_gets_no_metrics()
    {
        var (anonymousStatus, anonymous) = await ScrapeAsync(null);
        var (wrongStatus, wrong) = await ScrapeAsync("guess");

        Assert.NotEqual(HttpStatusCode.OK, anonymousStatus);
        Assert.NotEqual(HttpStatusCode.OK, wrongStatus);
        Assert.DoesNotContain("lpt_sip", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("lpt_sip", wrong, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(string? token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, app.BaseUrl + "/metrics");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
