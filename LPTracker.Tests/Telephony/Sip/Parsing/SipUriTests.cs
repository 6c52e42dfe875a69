using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.Sip.Parsing;

public sealed class SipUriTests
{
    [Theory]
    [InlineData("sip:alice@example.com", "alice", "example.com", null)]
    [InlineData("SIP:alice@EXAMPLE.com:5070", "alice", "EXAMPLE.com", 5070)]
    [InlineData("sips:bob:pw@192.0.2.1:5061", "bob", "192.0.2.1", 5061)]
    [InlineData("sip:[2001:db8::10]:5060", null, "[2001:db8::10]", 5060)]
    [InlineData("sip:carol@[::1]", "carol", "[::1]", null)]
    [InlineData("sip:example.com", null, "example.com", null)]
    [InlineData("sip:%61lice@example.com;transport=tcp;lr", "%61lice", "example.com", null)]
    public void Sip_uris_parse_into_user_host_and_port(string text, string? user, string host, int? port)
    {
        var ok = SipUri.TryParse(text, out var uri);

        Assert.True(ok);
        Assert.True(uri!.IsSip);
        Assert.Equal((user, host, port), (uri.User, uri.Host, uri.Port));
    }

    [Fact]
    public void Uri_parameters_and_headers_are_separated()
    {
        Assert.True(SipUri.TryParse("sip:a@example.com;transport=tcp;lr?Subject=hi&Priority=urgent", out var uri));

        Assert.Equal("tcp", uri!.Parameters.Get("transport"));
        Assert.True(uri.Parameters.TryGet("lr", out var lr) && lr is null);
        Assert.Equal("Subject=hi&Priority=urgent", uri.Headers);
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sip:a@")]
    [InlineData("sip:a@b@example.com")]
    [InlineData("sip:a@example.com:99999")]
    [InlineData("sip:a@example.com:")]
    [InlineData("sip:a@[zz::1]")]
    [InlineData("sip:a b@example.com")]
    [InlineData("sip:a@example.com;=x")]
    [InlineData("sip:a%4@example.com")]
    [InlineData("<sip:a@example.com>")]
    [InlineData("1sip:a@example.com")]
    public void Malformed_uris_are_rejected(string text)
    {
        var ok = SipUri.TryParse(text, out _);

        Assert.False(ok);
    }

    [Fact]
    public void Request_uri_may_not_carry_headers()
    {
        var ok = SipUri.TryParse("sip:a@example.com?Route=%3Csip:x%3E", out _, allowHeaders: false);

        Assert.False(ok);
    }

    [Fact]
    public void A_uri_with_headers_parsed_where_they_are_allowed_is_still_refused_as_a_request_uri()
    {
        // The parse of a string instance is reused (decision 0083): one with headers must not be, or the Request-URI
        // check would pass for a string first seen in a Contact.
        var text = new string("sip:a@example.com?Route=%3Csip:x%3E");

        Assert.True(SipUri.TryParse(text, out _));
        Assert.False(SipUri.TryParse(text, out _, allowHeaders: false));
    }

    [Fact]
    public void The_same_string_gives_the_same_parse_and_a_malformed_one_fails_every_time()
    {
        var text = new string("sip:bob@example.com:5070;transport=tcp");
        var bad = new string("sip:bob@");

        Assert.True(SipUri.TryParse(text, out var first));
        Assert.True(SipUri.TryParse(text, out var again, allowHeaders: false));
        Assert.Same(first, again);
        Assert.Equal(("bob", "example.com", 5070), (again!.User, again.Host, again.Port));
        Assert.False(SipUri.TryParse(bad, out _));
        Assert.False(SipUri.TryParse(bad, out _));
    }

    [Theory]
    [InlineData("tel:+74951234567", "tel")]
    [InlineData("soap.beep://192.0.2.103:3002", "soap.beep")]
    public void Other_schemes_are_kept_as_absolute_uris(string text, string scheme)
    {
        Assert.True(SipUri.TryParse(text, out var uri));

        Assert.False(uri!.IsSip);
        Assert.Equal(scheme, uri.Scheme);
    }
}
