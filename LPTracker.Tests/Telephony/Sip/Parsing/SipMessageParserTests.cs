using System.Text;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.Sip.Parsing;

public sealed class SipMessageParserTests
{
    private const string Register =
        "REGISTER sip:example.com SIP/2.0\r\n" +
        "v: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776;rport\r\n" +
        "f: \"Иван\" <sip:19079_ivan@example.com>;tag=a1\r\n" +
        "t: <sip:19079_ivan@example.com>\r\n" +
        "i: call-1@192.0.2.10\r\n" +
        "CSeq: 7 REGISTER\r\n" +
        "m: <sip:19079_ivan@192.0.2.10:5062;transport=udp>;expires=300, <sip:19079_ivan@[2001:db8::1]:5070>\r\n" +
        "k: path, gruu\r\n" +
        "l: 0\r\n\r\n";

    [Theory]
    [InlineData("v", SipHeaderNames.Via)]
    [InlineData("f", SipHeaderNames.From)]
    [InlineData("t", SipHeaderNames.To)]
    [InlineData("i", SipHeaderNames.CallId)]
    [InlineData("m", SipHeaderNames.Contact)]
    [InlineData("k", SipHeaderNames.Supported)]
    [InlineData("l", SipHeaderNames.ContentLength)]
    [InlineData("c", SipHeaderNames.ContentType)]
    [InlineData("e", SipHeaderNames.ContentEncoding)]
    [InlineData("s", SipHeaderNames.Subject)]
    [InlineData("CALL-id", SipHeaderNames.CallId)]
    [InlineData("www-authenticate", SipHeaderNames.WwwAuthenticate)]
    public void Compact_and_differently_cased_header_names_are_canonicalised(string received, string canonical)
    {
        var name = SipHeaderNames.Canonicalize(received);

        Assert.Equal(canonical, name, StringComparer.Ordinal);
    }

    [Fact]
    public void Register_with_compact_headers_parses_all_fields()
    {
        var request = Parse(Register);

        Assert.Equal("REGISTER", request.Method);
        Assert.Equal("call-1@192.0.2.10", request.CallId);
        Assert.Equal(new SipCSeq(7, "REGISTER"), request.ParseCSeq());
        Assert.Equal("Иван", request.ParseFrom()!.DisplayName);
        Assert.Equal("a1", request.ParseFrom()!.Tag);
        var via = request.TopVia!;
        Assert.Equal(("UDP", "192.0.2.10", 5062), (via.Transport, via.Host, via.Port));
        Assert.Equal("z9hG4bK776", via.Branch);
        Assert.True(via.HasRPort);
    }

    [Fact]
    public void Comma_separated_contacts_are_split_outside_angle_brackets()
    {
        var request = Parse(Register);

        var contacts = request.GetHeaderValues(SipHeaderNames.Contact);

        Assert.Equal(2, contacts.Count);
        Assert.True(NameAddress.TryParse(contacts[0], out var first));
        Assert.Equal("300", first!.Parameters.Get("expires"));
        Assert.Equal("udp", first.Uri.Parameters.Get("transport"));
        Assert.True(NameAddress.TryParse(contacts[1], out var second));
        Assert.Equal("[2001:db8::1]", second!.Uri.Host);
        Assert.Equal(5070, second.Uri.Port);
    }

    [Fact]
    public void Folded_header_lines_are_joined()
    {
        var request = Parse("OPTIONS sip:a@example.com SIP/2.0\r\nSubject: first\r\n\tsecond\r\n  third\r\nCSeq: 1\r\n OPTIONS\r\nl: 0\r\n\r\n");

        Assert.Equal("first\tsecond  third", request.GetHeader(SipHeaderNames.Subject));
        Assert.Equal(new SipCSeq(1, "OPTIONS"), request.ParseCSeq());
    }

    [Fact]
    public void Method_names_are_case_sensitive()
    {
        var request = Parse("register sip:example.com SIP/2.0\r\nl: 0\r\n\r\n");

        Assert.Equal("register", request.Method);
        Assert.NotEqual(SipMethods.Register, request.Method);
    }

    [Fact]
    public void Body_is_framed_by_content_length()
    {
        var request = Parse("MESSAGE sip:a@example.com SIP/2.0\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal("hello", Encoding.UTF8.GetString(request.Body.Span));
    }

    [Theory]
    [InlineData("INVITE sip:a@example.com SIP/2.0\r\nContent-Length: 10\r\n\r\nshort", 400)]
    [InlineData("INVITE sip:a@example.com SIP/2.0\r\nContent-Length: abc\r\n\r\n", 400)]
    [InlineData("INVITE sip:a@example.com SIP/2.0\r\nl: 0\r\nContent-Length: 0\r\n\r\n", 400)]
    [InlineData("INVITE sip:a@example.com SIP/3.0\r\nl: 0\r\n\r\n", 505)]
    [InlineData("INVITE sip:a@example.com HTTP/1.1\r\nl: 0\r\n\r\n", 400)]
    [InlineData("INVITE  sip:a@example.com SIP/2.0\r\nl: 0\r\n\r\n", 400)]
    [InlineData("INVITE sip:a@example.com SIP/2.0\r\nno colon here\r\nl: 0\r\n\r\n", 400)]
    public void Malformed_requests_carry_the_status_to_answer_with(string text, int status)
    {
        var request = Parse(text);

        Assert.Equal(status, request.ParseError?.Status);
    }

    [Fact]
    public void Stream_messages_without_content_length_are_malformed()
    {
        var parsed = SipMessageParser.TryParse(Encoding.UTF8.GetBytes("OPTIONS sip:a@example.com SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n"), true, out var message);

        Assert.True(parsed);
        Assert.Equal(400, message!.ParseError?.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("garbage without header end")]
    [InlineData("<<<>>> sip:x SIP/2.0\r\n\r\n")]
    [InlineData("SIP/2.0 99 Too Low\r\n\r\n")]
    [InlineData("SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n")]
    public void Unanswerable_input_is_dropped(string text)
    {
        var parsed = SipMessageParser.TryParse(Encoding.UTF8.GetBytes(text), false, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(4475);
        var seed = Encoding.UTF8.GetBytes(Register);
        for (var i = 0; i < 5000; i++)
        {
            var data = (byte[])seed.Clone();
            for (var j = 0; j < 1 + (i % 20); j++)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }

            var noise = new byte[random.Next(200)];
            random.NextBytes(noise);
            var input = i % 2 == 0 ? data : noise;

            var exception = Record.Exception(() =>
            {
                if (SipMessageParser.TryParse(input, i % 3 == 0, out var m) && m is SipRequest r)
                {
                    SipRequestValidator.Validate(r, [], out _);
                }
            });

            Assert.Null(exception);
        }
    }

    [Fact]
    public void Serialised_response_round_trips_with_computed_content_length()
    {
        var response = new SipResponse(200, "OK");
        response.AddHeader(SipHeaderNames.Via, "SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776;rport=5062;received=192.0.2.10");
        response.AddHeader(SipHeaderNames.CallId, "abc");
        response.AddHeader(SipHeaderNames.ContentLength, "999");
        response.Body = "hi"u8.ToArray();

        var bytes = SipMessageWriter.ToBytes(response);

        Assert.Equal("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776;rport=5062;received=192.0.2.10\r\nCall-ID: abc\r\nContent-Length: 2\r\n\r\nhi",
            Encoding.UTF8.GetString(bytes));
        Assert.True(SipMessageParser.TryParse(bytes, true, out var reparsed));
        Assert.Equal("abc", reparsed!.CallId);
    }

    [Fact]
    public void Via_stamping_fills_rport_and_adds_received()
    {
        var request = Parse(Register);

        request.TopVia!.StampReceived("203.0.113.7", 40000);

        Assert.Equal("SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776;rport=40000;received=203.0.113.7", request.TopVia.ToString());
    }

    [Fact]
    public void Via_stamping_without_rport_adds_received_only_when_the_host_differs()
    {
        var request = Parse("OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK1\r\nl: 0\r\n\r\n");

        request.TopVia!.StampReceived("192.0.2.10", 5062);

        Assert.Null(request.TopVia.Received);
    }

    private static SipRequest Parse(string text)
    {
        Assert.True(SipMessageParser.TryParse(Encoding.UTF8.GetBytes(text), false, out var message));
        return Assert.IsType<SipRequest>(message);
    }
}
