using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Registrar;

/// <summary>RFC 3261 §10.3 registrar rules, one by one, through the whole message pipeline (no sockets).</summary>
public sealed class RegistrarTests
{
    [Fact]
    public async Task Register_without_credentials_is_challenged_with_md5_and_qop_auth()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>"));

        Assert.Equal(401, response!.StatusCode);
        var challenge = Assert.Single(response.GetHeaderValues(SipHeaderNames.WwwAuthenticate));
        Assert.Contains("algorithm=MD5", challenge, StringComparison.Ordinal);
        Assert.Contains("qop=\"auth\"", challenge, StringComparison.Ordinal);
        Assert.Contains("realm=\"example.com\"", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SHA-256,MD5", new[] { "SHA-256", "MD5" })]
    [InlineData("SHA-256", new[] { "SHA-256" })]
    public async Task Configured_algorithms_are_offered_one_challenge_each_in_order(string setting, string[] expected)
    {
        await using var h = new RegistrarHarness(o => o.DigestAlgorithms = setting);

        var response = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>"));

        var offered = response!.GetHeaderValues(SipHeaderNames.WwwAuthenticate).Select(c => DigestTestClient.Param(c, "algorithm")).ToArray();
        Assert.Equal(expected, offered);
    }

    [Fact]
    public async Task Authenticated_register_gets_200_listing_the_binding_with_expiry_and_date()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.RegisterAsync("alice", expires: "600");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("<sip:alice@192.0.2.10:5060>;expires=600", Assert.Single(response.GetHeaderValues(SipHeaderNames.Contact)));
        Assert.Equal("Wed, 01 Jan 2025 12:00:00 GMT", response.GetHeader(SipHeaderNames.Date));
        Assert.Single(h.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task Sha256_credentials_are_accepted_when_sha256_is_offered()
    {
        await using var h = new RegistrarHarness(o => o.DigestAlgorithms = "SHA-256");
        h.AddUser("alice");

        var response = await h.RegisterAsync("alice");

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task Refresh_with_a_new_expiry_updates_the_binding()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", expires: "600", cseq: 1);
        h.Time.Advance(TimeSpan.FromSeconds(100));

        var response = await h.RegisterAsync("alice", expires: "1200", cseq: 3);

        Assert.Equal("<sip:alice@192.0.2.10:5060>;expires=1200", Assert.Single(response.GetHeaderValues(SipHeaderNames.Contact)));
    }

    [Fact]
    public async Task Contact_expires_parameter_wins_over_the_expires_header()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060>;expires=120", expires: "900");

        Assert.EndsWith(";expires=120", Assert.Single(response.GetHeaderValues(SipHeaderNames.Contact)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_expiry_uses_the_default()
    {
        await using var h = new RegistrarHarness(o => o.DefaultExpires = 1800);
        h.AddUser("alice");

        var response = await h.RegisterAsync("alice", expires: null);

        Assert.EndsWith(";expires=1800", Assert.Single(response.GetHeaderValues(SipHeaderNames.Contact)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expiry_above_the_maximum_is_clamped()
    {
        await using var h = new RegistrarHarness(o => o.MaxExpires = 3600);
        h.AddUser("alice");

        var response = await h.RegisterAsync("alice", expires: "86400");

        Assert.EndsWith(";expires=3600", Assert.Single(response.GetHeaderValues(SipHeaderNames.Contact)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expiry_below_the_minimum_gets_423_with_min_expires()
    {
        await using var h = new RegistrarHarness(o => o.MinExpires = 60);
        h.AddUser("alice");

        var response = await h.RegisterAsync("alice", expires: "30");

        Assert.Equal(423, response.StatusCode);
        Assert.Equal("60", response.GetHeader(SipHeaderNames.MinExpires));
        Assert.Empty(h.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task Expires_zero_removes_the_binding()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", cseq: 1);

        var response = await h.RegisterAsync("alice", expires: "0", cseq: 3);

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(response.GetHeaderValues(SipHeaderNames.Contact));
        Assert.Empty(h.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task Wildcard_with_expires_zero_removes_every_binding()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060>", cseq: 1, callId: "a");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.11:5060>", cseq: 1, callId: "b");

        var response = await h.RegisterAsync("alice", contact: "*", expires: "0", cseq: 5, callId: "c");

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(h.Server.Locations.GetBindings("alice"));
    }

    [Theory]
    [InlineData("*", "3600")]
    [InlineData("*", null)]
    [InlineData("*, <sip:alice@192.0.2.10>", "0")]
    public async Task Wildcard_without_expires_zero_or_not_alone_is_400(string contact, string? expires)
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.SendAsync(SipRequests.Register("alice", contact: contact, expires: expires));

        Assert.Equal(400, response!.StatusCode);
    }

    [Fact]
    public async Task Register_without_contact_is_a_query_listing_current_bindings()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", cseq: 1);

        var response = await h.RegisterAsync("alice", contact: "", cseq: 3);

        Assert.Equal(200, response.StatusCode);
        Assert.Single(response.GetHeaderValues(SipHeaderNames.Contact));
    }

    [Fact]
    public async Task Older_cseq_on_the_same_call_id_is_refused_with_500()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", cseq: 10, callId: "same");

        var response = await h.RegisterAsync("alice", cseq: 3, callId: "same");

        Assert.Equal(500, response.StatusCode);
    }

    [Fact]
    public async Task A_new_call_id_may_use_any_cseq()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", cseq: 10, callId: "first");

        var response = await h.RegisterAsync("alice", cseq: 1, callId: "second");

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task Contacts_beyond_the_per_aor_limit_are_refused()
    {
        await using var h = new RegistrarHarness(o => o.MaxContactsPerAor = 2);
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060>", callId: "1");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.11:5060>", callId: "2");

        var response = await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.12:5060>", callId: "3");

        Assert.Equal(403, response.StatusCode);
        Assert.Equal(2, h.Server.Locations.GetBindings("alice").Count);
    }

    [Fact]
    public async Task Authenticated_user_must_own_the_aor()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        h.AddUser("bob");

        var response = await h.RegisterAsync("alice", toUser: "bob");

        Assert.Equal(403, response.StatusCode);
        Assert.Empty(h.Server.Locations.GetBindings("bob"));
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_identical_answers()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var wrongPassword = await h.RegisterAsync("alice", password: "guess");
        var unknownUser = await h.RegisterAsync("mallory", password: "guess");

        Assert.Equal(401, wrongPassword.StatusCode);
        Assert.Equal(Shape(wrongPassword), Shape(unknownUser));
    }

    [Fact]
    public async Task Digest_uri_must_match_the_request_uri()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        var challenge = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>"));
        var auth = DigestTestClient.Authorization(challenge!.GetHeader(SipHeaderNames.WwwAuthenticate)!, "alice", "secret", "REGISTER",
            "sip:example.com", uriOverride: "sip:other.example.com");

        var response = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", cseq: 2, authorization: auth));

        Assert.Equal(400, response!.StatusCode);
    }

    [Fact]
    public async Task Credentials_for_another_realm_are_challenged_again()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        var challenge = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>"));
        var auth = DigestTestClient.Authorization(challenge!.GetHeader(SipHeaderNames.WwwAuthenticate)!, "alice", "secret", "REGISTER",
            "sip:example.com", realmOverride: "elsewhere");

        var response = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", cseq: 2, authorization: auth));

        Assert.Equal(401, response!.StatusCode);
        Assert.Empty(h.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task Expired_nonce_with_a_correct_digest_is_answered_stale()
    {
        await using var h = new RegistrarHarness(o => o.NonceLifetime = TimeSpan.FromMinutes(5));
        h.AddUser("alice");
        var challenge = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>"));
        var auth = DigestTestClient.Authorization(challenge!.GetHeader(SipHeaderNames.WwwAuthenticate)!, "alice", "secret", "REGISTER", "sip:example.com");
        h.Time.Advance(TimeSpan.FromMinutes(6));

        var response = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", cseq: 2, authorization: auth));

        Assert.Equal(401, response!.StatusCode);
        Assert.Contains("stale=true", response.GetHeader(SipHeaderNames.WwwAuthenticate), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replayed_nonce_count_is_refused_and_a_higher_one_accepted()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        var challenge = (await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>")))!.GetHeader(SipHeaderNames.WwwAuthenticate)!;
        var first = DigestTestClient.Authorization(challenge, "alice", "secret", "REGISTER", "sip:example.com", nc: 1);
        await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", cseq: 2, authorization: first));

        var replay = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", cseq: 3, authorization: first));
        var next = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", cseq: 4,
            authorization: DigestTestClient.Authorization(challenge, "alice", "secret", "REGISTER", "sip:example.com", nc: 2)));

        Assert.Equal(401, replay!.StatusCode);
        Assert.Contains("stale=true", replay.GetHeader(SipHeaderNames.WwwAuthenticate), StringComparison.Ordinal);
        Assert.Equal(200, next!.StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_ban_the_source_and_its_requests_are_then_dropped()
    {
        await using var h = new RegistrarHarness(o => o.Ban = new() { MaxFailures = 3, Window = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10) });
        h.AddUser("alice");
        for (var i = 0; i < 3; i++)
        {
            await h.RegisterAsync("alice", password: "guess" + i, callId: "guess" + i);
        }

        var afterBan = await h.SendAsync(SipRequests.Simple("OPTIONS"));
        h.Time.Advance(TimeSpan.FromMinutes(11));
        var afterBanEnds = await h.SendAsync(SipRequests.Simple("OPTIONS"));

        Assert.Null(afterBan);
        Assert.Equal(200, afterBanEnds!.StatusCode);
    }

    [Fact]
    public async Task Register_to_another_domain_is_404()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.SendAsync(SipRequests.Register("alice", domain: "other.example.org", contact: "<sip:alice@192.0.2.10>"));

        Assert.Equal(404, response!.StatusCode);
    }

    [Fact]
    public async Task Options_is_answered_200_with_allow_and_accept()
    {
        await using var h = new RegistrarHarness();

        var response = await h.SendAsync(SipRequests.Simple("OPTIONS"));

        Assert.Equal(200, response!.StatusCode);
        Assert.Equal("REGISTER, OPTIONS, INVITE, ACK, CANCEL, BYE, UPDATE", response.GetHeader(SipHeaderNames.Allow));
        Assert.NotNull(response.GetHeader(SipHeaderNames.Accept));
    }

    [Theory]
    [InlineData("INVITE", 407)]
    [InlineData("SUBSCRIBE", 405)]
    [InlineData("BYE", 481)]
    [InlineData("CANCEL", 481)]
    [InlineData("FROBNICATE", 501)]
    [InlineData("register", 501)]
    public async Task Other_methods_get_the_fitting_refusal(string method, int status)
    {
        await using var h = new RegistrarHarness();

        var response = await h.SendAsync(SipRequests.Simple(method));

        Assert.Equal(status, response!.StatusCode);
    }

    [Fact]
    public async Task Ack_gets_no_response()
    {
        await using var h = new RegistrarHarness();

        var response = await h.SendAsync(SipRequests.Simple("ACK"));

        Assert.Null(response);
    }

    [Fact]
    public async Task Response_follows_rport_to_the_source_port()
    {
        await using var h = new RegistrarHarness();
        var natted = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("203.0.113.9"), 40123);

        await h.SendAsync(SipRequests.Simple("OPTIONS"), natted);

        var sent = Assert.Single(h.Sender.Sent);
        Assert.Equal(natted, sent.Destination);
        Assert.Contains("rport=40123;received=203.0.113.9", System.Text.Encoding.UTF8.GetString(sent.Data), StringComparison.Ordinal);
    }

    private static string Shape(SipResponse response) =>
        $"{response.StatusCode} {response.ReasonPhrase} {string.Join("|", response.GetHeaderValues(SipHeaderNames.WwwAuthenticate).Select(c => c.Replace(DigestTestClient.Param(c, "nonce")!, "N", StringComparison.Ordinal)))}";
}
