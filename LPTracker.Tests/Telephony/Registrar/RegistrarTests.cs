using System.Net;
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
    public async Task A_contact_beyond_the_limit_replaces_the_least_recently_refreshed_binding()
    {
        await using var h = new RegistrarHarness(o => o.MaxContactsPerAor = 2);
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060>", callId: "1", from: new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5060));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.11:5060>", callId: "2", from: new IPEndPoint(IPAddress.Parse("192.0.2.11"), 5060));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var response = await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.12:5060>", callId: "3", from: new IPEndPoint(IPAddress.Parse("192.0.2.12"), 5060));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["sip:alice@192.0.2.11:5060", "sip:alice@192.0.2.12:5060"],
            h.Server.Locations.GetBindings("alice").Select(b => b.ContactUri).Order());
    }

    [Fact]
    public async Task A_softphone_restarted_on_a_new_port_replaces_its_own_old_binding_not_another_phones()
    {
        await using var h = new RegistrarHarness(o => o.MaxContactsPerAor = 2);
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.11:5060>", callId: "other", from: new IPEndPoint(IPAddress.Parse("192.0.2.11"), 5060));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060>", callId: "before-restart");
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var response = await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5070>", callId: "restarted");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["sip:alice@192.0.2.10:5070", "sip:alice@192.0.2.11:5060"],
            h.Server.Locations.GetBindings("alice").Select(b => b.ContactUri).Order());
    }

    [Fact]
    public async Task More_contacts_in_one_request_than_the_limit_are_refused()
    {
        await using var h = new RegistrarHarness(o => o.MaxContactsPerAor = 1);
        h.AddUser("alice");

        var response = await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060>, <sip:alice@192.0.2.10:5061>");

        Assert.Equal(403, response.StatusCode);
        Assert.Empty(h.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task Q_instance_and_reg_id_are_stored_and_echoed()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        const string instance = "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";

        var response = await h.RegisterAsync("alice", contact: $"<sip:alice@192.0.2.10:5060>;q=0.5;+sip.instance=\"{instance}\";reg-id=1");

        Assert.Equal(200, response.StatusCode);
        var binding = h.Server.Locations.GetBindings("alice").Single();
        Assert.Equal((0.5, instance, (int?)1), (binding.Q, binding.InstanceId, binding.RegId));
        var contact = response.GetHeader(SipHeaderNames.Contact)!;
        Assert.Contains(";q=0.5", contact, StringComparison.Ordinal);
        Assert.Contains($";+sip.instance=\"{instance}\"", contact, StringComparison.Ordinal);
        Assert.Contains(";reg-id=1", contact, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("abc")]
    public async Task A_malformed_q_is_400(string q)
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.SendAsync(SipRequests.Register("alice", contact: $"<sip:alice@192.0.2.10>;q={q}", expires: "600"));

        Assert.Equal(400, response!.StatusCode);
    }

    [Theory]
    [InlineData("soon", null)]
    [InlineData("600", "never")]
    public async Task A_malformed_expires_means_the_default(string header, string? parameter)
    {
        await using var h = new RegistrarHarness(o => o.DefaultExpires = 1800);
        h.AddUser("alice");
        var contact = parameter is null ? "<sip:alice@192.0.2.10:5060>" : $"<sip:alice@192.0.2.10:5060>;expires={parameter}";

        var response = await h.RegisterAsync("alice", contact: contact, expires: header);

        Assert.Equal(200, response.StatusCode);
        var expected = parameter is null ? 1800 : 600;
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(expected), h.Server.Locations.GetBindings("alice").Single().ExpiresAt);
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("[2001:db8::9]")]
    public async Task Register_to_an_ip_literal_that_is_not_ours_is_404(string host)
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.SendAsync(SipRequests.Register("alice", domain: host, contact: "<sip:alice@192.0.2.10>"));

        Assert.Equal(404, response!.StatusCode);
        Assert.Empty(h.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task Register_to_our_listener_address_is_served()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.SendAsync(SipRequests.Register("alice", domain: RegistrarHarness.Local.Address.ToString(), contact: "<sip:alice@192.0.2.10>"));

        Assert.Equal(401, response!.StatusCode);
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
    public async Task Repeated_failures_of_one_user_ban_that_user_from_the_source_but_not_the_source()
    {
        await using var h = new RegistrarHarness(o => o.Ban = new() { MaxFailures = 3, Window = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10) });
        h.AddUser("alice");
        h.AddUser("bob");
        for (var i = 0; i < 3; i++)
        {
            await h.RegisterAsync("alice", password: "guess" + i, callId: "guess" + i);
        }

        var aliceAgain = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", callId: "again"));
        var bob = await h.RegisterAsync("bob", contact: "<sip:bob@192.0.2.10:5060>");
        var options = await h.SendAsync(SipRequests.Simple("OPTIONS"));
        h.Time.Advance(TimeSpan.FromMinutes(11));
        var afterBanEnds = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", callId: "later"));

        Assert.Null(aliceAgain);
        Assert.Equal(200, bob.StatusCode);
        Assert.Equal(200, options!.StatusCode);
        Assert.Equal(401, afterBanEnds!.StatusCode);
    }

    [Fact]
    public async Task A_banned_address_keeps_its_live_bindings_refreshing_and_its_qualify_answers()
    {
        await using var h = new RegistrarHarness(o => o.Ban = new() { MaxFailures = 1, MaxUsersPerAddress = 2, Window = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10) });
        h.AddUser("alice");
        await h.RegisterAsync("alice", callId: "alice");
        await h.RegisterAsync("scan1", callId: "s1");
        await h.RegisterAsync("scan2", callId: "s2");
        Assert.True(h.Server.Bans.IsBanned(RegistrarHarness.Phone.Address));
        var binding = h.Server.Locations.GetBindings("alice").Single();
        var ping = h.Server.ClientTransactions.SendAsync(h.Server.Qualify.BuildOptions(binding, binding.Flow!), binding.Flow!, binding.RemoteEndPoint, CancellationToken.None);
        var sent = (SipRequest)h.Sender.Messages()[^1];

        await h.SendAsync(SipMessageWriter.ToBytes(SipResponseFactory.Create(sent, 200, "OK")));
        var refresh = await h.RegisterAsync("alice", callId: "alice", cseq: 5);
        var stranger = await h.SendAsync(SipRequests.Register("bob", contact: "<sip:bob@192.0.2.10>", callId: "bob"));

        Assert.Equal(200, (await ping)!.StatusCode);
        Assert.Equal(200, refresh.StatusCode);
        Assert.Null(stranger);
    }

    [Fact]
    public async Task Bare_lf_line_ends_are_accepted()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");

        var response = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>").Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal(401, response!.StatusCode);
    }

    [Fact]
    public async Task Credentials_without_qop_are_challenged_again_with_401()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        var challenge = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>"));
        var nonce = DigestTestClient.Param(challenge!.GetHeader(SipHeaderNames.WwwAuthenticate)!, "nonce");
        var rfc2069 = $"Digest username=\"alice\", realm=\"{RegistrarHarness.Domain}\", nonce=\"{nonce}\", uri=\"sip:{RegistrarHarness.Domain}\", response=\"0123456789abcdef0123456789abcdef\"";

        var response = await h.SendAsync(SipRequests.Register("alice", contact: "<sip:alice@192.0.2.10>", cseq: 2, authorization: rfc2069));

        Assert.Equal(401, response!.StatusCode);
        Assert.NotNull(response.GetHeader(SipHeaderNames.WwwAuthenticate));
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
