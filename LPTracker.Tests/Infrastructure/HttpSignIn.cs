using System.Net;
using System.Text.RegularExpressions;

namespace LPTracker.Tests.Infrastructure;

/// <summary>Signs in through the real sign-in form over HTTP and returns the cookies, for non-browser clients.</summary>
public static partial class HttpSignIn
{
    public static async Task<CookieContainer> SignInAsync(string baseUrl, string login, string password)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        var fields = await LoginFormAsync(http);
        fields["Input.Login"] = login;
        fields["Input.Password"] = password;

        using var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"sign-in answered {(int)response.StatusCode}");
        Assert.Contains(cookies.GetCookies(new Uri(baseUrl)), c => c.Name == "lpt.auth");
        return cookies;
    }

    /// <summary>The sign-in form's hidden fields (antiforgery token, form name), read from a fresh GET.</summary>
    public static async Task<Dictionary<string, string>> LoginFormAsync(HttpClient http)
    {
        var page = await http.GetStringAsync("/account/login");
        return HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
