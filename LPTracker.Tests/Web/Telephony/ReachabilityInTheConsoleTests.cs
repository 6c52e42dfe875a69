using System.Net.Http.Json;
using System.Text.Json;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The console with qualify pings every second, a binding turning unreachable only after very many misses.</summary>
public sealed class QualifyingAppFixture : TelephonyAppFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Sip:QualifyInterval"] = "00:00:01",

        // The test phone answers one ping and then stays silent: under load the assertions may come many pings later,
        // and the binding must still read as it did after that answer (misses are counted, not yet fatal).
        ["Sip:QualifyMaxMisses"] = "1000",
    };
}

/// <summary>What qualify learns about a real phone (UDP, answering OPTIONS) reaches the list's presence and /health.</summary>
public sealed class ReachabilityInTheConsoleTests(QualifyingAppFixture app) : IClassFixture<QualifyingAppFixture>
{
    [Fact]
    public async Task A_phone_that_answers_a_ping_shows_its_contact_transport_last_check_and_round_trip()
    {
        var (_, employeeId, user, phone) = await PhoneThatAnsweredAPingAsync();
        using var registered = phone;

        var contact = Assert.Single(app.Get<ISipPresenceSource>().Get(employeeId).Contacts!);

        Assert.True(contact.Answers);
        Assert.StartsWith("127.0.0.1:", contact.Contact, StringComparison.Ordinal);
        Assert.DoesNotContain(user, contact.Contact, StringComparison.Ordinal);
        Assert.Equal("UDP", contact.Transport);
        Assert.NotNull(contact.LastQualifiedUtc);
        Assert.InRange(contact.RoundTripMs!.Value, 0, 5_000);
    }

    [Fact]
    public async Task Health_details_count_the_reachable_bindings_and_give_the_round_trip_distribution()
    {
        var (email, _, _, phone) = await PhoneThatAnsweredAPingAsync();
        using var registered = phone;
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, email, "secret123");
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(app.BaseUrl) };

        var health = await http.GetFromJsonAsync<JsonElement>("/health");

        var qualify = health.GetProperty("checks").GetProperty("sip").GetProperty("data").GetProperty("qualify");
        Assert.True(qualify.GetProperty("reachable").GetInt32() >= 1);

        // Loopback round trips can round to 0.0 ms: the order of the percentiles is what can be checked.
        Assert.InRange(qualify.GetProperty("medianRttMs").GetDouble(), 0, qualify.GetProperty("p90RttMs").GetDouble());
        Assert.InRange(qualify.GetProperty("p90RttMs").GetDouble(), 0, qualify.GetProperty("maxRttMs").GetDouble());
        Assert.True(qualify.TryGetProperty("missingPings", out _));
    }

    /// <summary>A new account's employee whose phone registered over UDP and answered one qualify ping (recorded).</summary>
    private async Task<(string OwnerEmail, int EmployeeId, string User, TestPhone Phone)> PhoneThatAnsweredAPingAsync()
    {
        var (owner, email) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        Assert.Equal(200, await phone.RegisterAsync());
        await phone.AnswerPingAsync(TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(
            () => Task.FromResult(app.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Contacts?.SingleOrDefault() is { Answers: true }),
            "the answered ping to be recorded");
        return (email, ivan.EmployeeId, user, phone);
    }
}
