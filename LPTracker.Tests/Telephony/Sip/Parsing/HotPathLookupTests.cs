using System.Text;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.Sip.Parsing;

/// <summary>
/// The warm registrar's lookups that were made cheaper (decision 0092): the recent-strings table hashed over bytes,
/// header names compared by instance and length first, digest parameter names matched by length first. Each must give
/// exactly what the plain comparison or decoding gives, malformed input included.
/// </summary>
public sealed class HotPathLookupTests
{
    public static TheoryData<byte[]> Datagram_values() => new()
    {
        Array.Empty<byte>(),
        "70"u8.ToArray(),
        "<sip:alice@example.com>;tag=1"u8.ToArray(),
        Encoding.ASCII.GetBytes(new string('a', SipStrings.MaxLength)),
        Encoding.ASCII.GetBytes(new string('b', SipStrings.MaxLength + 1)),
        Encoding.UTF8.GetBytes("\"Иван Петров\" <sip:ivan@example.com>"),
        new byte[] { 0xFF, 0x41, 0x42 },            // invalid UTF-8
        new byte[] { 0x41, 0xC3 },                  // truncated sequence
        new byte[] { 0x41, 0x00, 0x42 },            // NUL is ASCII
        new byte[] { 0x80 },
    };

    [Theory]
    [MemberData(nameof(Datagram_values))]
    public void A_value_from_the_datagram_reads_as_utf8_decoding_reads_it_every_time(byte[] utf8)
    {
        var expected = Encoding.UTF8.GetString(utf8);

        Assert.Equal(expected, SipStrings.Get(utf8));
        Assert.Equal(expected, SipStrings.Get(utf8));
        Assert.Equal(expected, SipStrings.Get(expected.AsSpan()));
        Assert.Equal(expected, SipStrings.Get(utf8));
    }

    [Theory]
    [InlineData("70")]
    [InlineData("sip:alice@example.com")]
    [InlineData("UDP")]
    public void Short_ascii_text_is_one_string_whether_it_came_as_bytes_or_characters(string text)
    {
        var fromBytes = SipStrings.Get(Encoding.ASCII.GetBytes(text));
        var again = SipStrings.Get(Encoding.ASCII.GetBytes(text));
        var fromChars = SipStrings.Get(text.ToCharArray());

        Assert.Equal(text, fromBytes);
        Assert.Same(fromBytes, again);
        Assert.Same(fromBytes, fromChars);
    }

    [Fact]
    public void Text_that_differs_in_one_byte_is_never_taken_for_a_recent_string()
    {
        var first = SipStrings.Get("sip:alice@example.com"u8);
        var second = SipStrings.Get("sip:alicf@example.com"u8);
        var upper = SipStrings.Get("SIP:alice@example.com"u8);

        Assert.Equal("sip:alice@example.com", first);
        Assert.Equal("sip:alicf@example.com", second);
        Assert.Equal("SIP:alice@example.com", upper);
    }

    [Theory]
    [InlineData(SipHeaderNames.Via, SipHeaderNames.Via, true)]
    [InlineData("via", SipHeaderNames.Via, true)]
    [InlineData("CONTENT-LENGTH", SipHeaderNames.ContentLength, true)]
    [InlineData("X-Custom", "x-custom", true)]
    [InlineData(SipHeaderNames.CSeq, SipHeaderNames.CallId, false)]
    [InlineData(SipHeaderNames.From, SipHeaderNames.Date, false)]
    [InlineData("Vía", SipHeaderNames.Via, false)]
    [InlineData("", SipHeaderNames.To, false)]
    [InlineData("To ", SipHeaderNames.To, false)]
    public void Header_names_compare_case_insensitively_and_nothing_else(string a, string b, bool same)
    {
        Assert.Equal(same, SipHeaderNames.Same(a, b));
        Assert.Equal(same, SipHeaderNames.Same(b, a));
    }

    [Theory]
    [InlineData("To", SipHeaderNames.To)]
    [InlineData("Via", SipHeaderNames.Via)]
    [InlineData("CSeq", SipHeaderNames.CSeq)]
    [InlineData("From", SipHeaderNames.From)]
    [InlineData("Call-ID", SipHeaderNames.CallId)]
    [InlineData("Contact", SipHeaderNames.Contact)]
    [InlineData("Expires", SipHeaderNames.Expires)]
    [InlineData("Max-Forwards", SipHeaderNames.MaxForwards)]
    [InlineData("Content-Type", SipHeaderNames.ContentType)]
    [InlineData("Authorization", SipHeaderNames.Authorization)]
    [InlineData("Content-Length", SipHeaderNames.ContentLength)]
    [InlineData("to", null)]
    [InlineData("Call-Id", null)]
    [InlineData("Tp", null)]
    [InlineData("Content-Lengtx", null)]
    [InlineData("Fro", null)]
    [InlineData("", null)]
    public void Only_an_exactly_spelt_known_name_is_taken_straight_from_the_bytes(string raw, string? expected)
    {
        var found = SipHeaderNames.FromCanonicalBytes(Encoding.ASCII.GetBytes(raw));

        Assert.Equal(expected, found);
        if (expected is not null)
        {
            // Attribute arguments are not interned; the constants are.
            Assert.Same(string.Intern(expected), found);
        }
    }

    [Theory]
    [InlineData("Via", SipHeaderNames.Via)]
    [InlineData("VIA", SipHeaderNames.Via)]
    [InlineData("v", SipHeaderNames.Via)]
    [InlineData("call-id", SipHeaderNames.CallId)]
    [InlineData("i", SipHeaderNames.CallId)]
    [InlineData("max-FORWARDS", SipHeaderNames.MaxForwards)]
    [InlineData("X-Custom", "X-Custom")]
    [InlineData("Via ", SipHeaderNames.Via)]
    public void Any_spelling_of_a_name_reads_as_its_canonical_name(string raw, string expected)
    {
        var data = Encoding.ASCII.GetBytes("OPTIONS sip:example.com SIP/2.0\r\n" + raw + ": 70\r\n\r\n");

        Assert.True(SipMessageParser.TryParse(data, false, out var message));

        Assert.Null(message!.ParseError);
        Assert.Equal(expected, message.Headers[0].Name);
    }

    [Theory]
    [InlineData("Vi a")]
    [InlineData("Via@")]
    [InlineData("")]
    [InlineData("Tö")]
    public void A_header_name_that_is_not_a_token_is_a_malformed_line(string raw)
    {
        var data = Encoding.UTF8.GetBytes("OPTIONS sip:example.com SIP/2.0\r\n" + raw + ": value\r\n\r\n");

        Assert.True(SipMessageParser.TryParse(data, false, out var message));

        Assert.Equal(new SipError(400, "Malformed Header Line"), message!.ParseError);
        Assert.Empty(message.Headers);
    }

    [Fact]
    public void A_message_finds_its_headers_by_any_spelling_of_the_name()
    {
        var data = "REGISTER sip:example.com SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\ncseq: 1 REGISTER\r\n"u8
            + "call-id: abc\r\nX-Thing: one\r\nx-thing: two\r\nContent-Length: 0\r\n\r\n"u8;

        Assert.True(SipMessageParser.TryParse(data.ToArray(), false, out var message));

        Assert.Equal("abc", message!.GetHeader("CALL-ID"));
        Assert.Equal("1 REGISTER", message.GetHeader(SipHeaderNames.CSeq));
        Assert.Equal(2, message.CountHeader("X-THING"));
        Assert.Equal(1, message.CountHeader(SipHeaderNames.Via));
        Assert.Null(message.GetHeader("Call-IE"));
    }

    [Fact]
    public void Digest_parameters_are_found_by_name_in_any_case_and_look_alikes_are_ignored()
    {
        const string value = "Digest USERNAME=\"bob\", Realm=\"example.com\", nOnce=\"n1\", URI=\"sip:example.com\", "
            + "Response=\"0123456789abcdef0123456789abcdef\", ALGORITHM=MD5, CNonce=\"c1\", QOP=auth, NC=00000001, "
            + "Opaque=\"o1\", usernamx=\"mallory\", nd=7, urx=\"sip:evil\", realn=\"x\", responsf=\"x\", algorithx=SHA-256";

        Assert.True(DigestCredentials.TryParse(value, out var c));

        Assert.Equal(
            ("bob", "example.com", "n1", "sip:example.com", "0123456789abcdef0123456789abcdef", "MD5", "c1", "auth", "00000001", "o1"),
            (c!.UserName, c.Realm, c.Nonce, c.Uri, c.Response, c.Algorithm, c.CNonce, c.Qop, c.NonceCount, c.Opaque));
    }

    [Theory]
    [InlineData("Digest username=\"bob\", nc")]
    [InlineData("Digest username=\"bob\" realm=\"r\"")]
    [InlineData("Digest username=\"bob, realm=\"r\"")]
    [InlineData("Basic Ym9iOnB3")]
    [InlineData("Digest =\"bob\"")]
    public void Malformed_digest_credentials_are_refused(string value)
    {
        Assert.False(DigestCredentials.TryParse(value, out _));
    }

    [Fact]
    public void A_digest_parameter_left_out_stays_absent()
    {
        Assert.True(DigestCredentials.TryParse("Digest username=\"bob\", realm=\"r\"", out var c));

        Assert.Equal(("bob", "r"), (c!.UserName, c.Realm));
        Assert.Null(c.Nonce);
        Assert.Null(c.NonceCount);
        Assert.Null(c.Algorithm);
    }
}
