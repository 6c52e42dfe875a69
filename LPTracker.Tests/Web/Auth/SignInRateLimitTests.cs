using System.Net;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Web.Auth;

/// <summary>Issue 10, item 4: the sign-in form post is rate limited per client address.</summary>
public sealed class SignInRateLimitTests(SignInRateLimitTests.App app) : IClassFixture<SignInRateLimitTests.App>
{
    public sealed class App : WebAppFixture
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["SignIn:PermitLimit"] = "3",
            ["SignIn:Window"] = "01:00:00",
        };
    }

    [Fact]
    public async Task An_address_posting_too_many_sign_ins_is_refused_with_a_message()
    {
        await app.SignUpAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(app.BaseUrl) };
        var fields = await HttpSignIn.LoginFormAsync(http);
        fields["Input.Login"] = "10001_nobody";
        fields["Input.Password"] = "wrong-password1";

        var statuses = new List<HttpStatusCode>();
        string last = "";
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields));
            statuses.Add(response.StatusCode);
            last = await response.Content.ReadAsStringAsync();
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Contains("Слишком много попыток входа", last, StringComparison.Ordinal);
    }
}
