using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Sip.Parsing;

/// <summary>The RFC 4475 torture messages: the parser's reading of the valid ones, and the server's answer to all 49.</summary>
public sealed class Rfc4475TortureTests
{
    /// <summary>Expected answer per message; 0 = dropped without an answer (responses, unanswerable input).</summary>
    public static TheoryData<string, int> ExpectedAnswers => new()
    {
        // 3.1.1 valid messages: answered like any other request; an INVITE from an address that is no trunk is a call
        // from a phone, so it is challenged (407) before anything else; one with a To tag (wsinv) names a dialog we
        // do not have (481, RFC 3261 §12.2.2).
        { "wsinv", 481 }, { "intmeth", 501 }, { "esc01", 407 }, { "escnull", 401 }, { "esc02", 501 }, { "lwsdisp", 200 },
        { "longreq", 407 }, { "dblreq", 401 }, { "semiuri", 200 }, { "transports", 200 }, { "mpart01", 405 },
        { "unreason", 0 }, { "noreason", 0 },
        // 3.1.2 invalid messages.
        { "badinv01", 400 }, { "clerr", 400 }, { "ncl", 400 }, { "scalar02", 400 }, { "scalarlg", 0 }, { "quotbal", 400 },
        { "ltgtruri", 400 }, { "lwsruri", 400 }, { "lwsstart", 400 }, { "trws", 400 }, { "escruri", 400 }, { "baddate", 407 },
        { "regbadct", 400 }, { "badaspec", 400 }, { "baddn", 400 }, { "badvers", 505 }, { "mismatch01", 400 },
        { "mismatch02", 400 }, { "bigcode", 0 },
        // 3.2 transaction layer, 3.3 application layer, 3.4 backward compatibility.
        { "badbranch", 200 }, { "insuf", 400 }, { "unkscm", 416 }, { "novelsc", 416 }, { "unksm2", 400 }, { "bext01", 420 },
        { "invut", 407 }, { "regaut01", 401 }, { "multi01", 400 }, { "mcl01", 400 }, { "bcast", 0 }, { "zeromf", 200 },
        { "cparam01", 401 }, { "cparam02", 401 }, { "regescrt", 401 }, { "sdp01", 407 }, { "inv2543", 407 },
    };

    [Theory]
    [MemberData(nameof(ExpectedAnswers))]
    public async Task Torture_message_gets_the_answer_RFC_4475_calls_for(string name, int expectedStatus)
    {
        await using var harness = new RegistrarHarness();

        var response = await harness.SendAsync(TestFiles.Torture(name));

        Assert.Equal(expectedStatus, response?.StatusCode ?? 0);
    }

    [Fact]
    public void Short_tortuous_invite_parses_to_the_values_RFC_4475_gives()
    {
        var request = ParseRequest("wsinv");

        Assert.Equal("sip:vivekg@chair-dnrc.example.com;unknownparam", request.RequestUri);
        Assert.Equal("1918181833n", request.ParseTo()!.Tag);
        var from = request.ParseFrom()!;
        Assert.Equal("J Rosenberg \\\"", from.DisplayName);
        Assert.Equal("98asjd8", from.Tag);
        Assert.Equal(new SipCSeq(9, "INVITE"), request.ParseCSeq());
        Assert.Equal(3, request.Vias!.Count);
        Assert.Equal("z9hG4bK30239", request.Vias[2].Branch);
        Assert.Equal("TCP", request.Vias[1].Transport);
        Assert.Equal("newfangled value continued newfangled value", request.GetHeader("NewFangledHeader"));
        Assert.Equal(";;,,;;,;", request.GetHeader("UnknownHeaderWithUnusualValue"));
        Assert.Equal("", request.GetHeader(SipHeaderNames.Subject));
        Assert.True(NameAddress.TryParse(request.GetHeaderValues(SipHeaderNames.Contact).Single(), out var contact));
        Assert.Equal("Quoted string \"\"", contact!.DisplayName);
        Assert.Equal("newvalue", contact.Parameters.Get("newparam"));
        Assert.Equal("0.33", contact.Parameters.Get("q"));
        Assert.Equal(150, request.Body.Length);
    }

    [Fact]
    public void Wide_range_of_valid_characters_keeps_the_unusual_method_user_and_password()
    {
        var request = ParseRequest("intmeth");

        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        Assert.True(SipUri.TryParse(request.RequestUri, out var uri));
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", uri!.User);
        Assert.Equal("BEL:\u0007 NUL:\0 DEL:\u007F", request.ParseTo()!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", request.ParseFrom()!.Tag);
        Assert.Equal("работающий", request.ParseFrom()!.Parameters.Get("fromParam''~+*_!.-%"));
        Assert.Equal("\uFEFF大停電", request.GetHeader("extensionHeader-!.%*+_`'~"));
    }

    [Fact]
    public void Semicolon_in_the_user_part_stays_in_the_user()
    {
        var request = ParseRequest("semiuri");

        Assert.True(SipUri.TryParse(request.RequestUri, out var uri));
        Assert.Equal("user;par=u%40example.net", uri!.User);
        Assert.Equal("example.com", uri.Host);
        Assert.Empty(uri.Parameters);
        Assert.Equal(6, request.GetHeaderValues(SipHeaderNames.Accept).Count);
    }

    [Fact]
    public void Extra_octets_after_content_length_in_a_datagram_are_discarded()
    {
        var request = ParseRequest("dblreq");

        Assert.Equal(SipMethods.Register, request.Method);
        Assert.Equal(0, request.Body.Length);
        Assert.Null(request.ParseError);
    }

    [Fact]
    public void Long_request_keeps_all_34_vias_and_the_long_call_id()
    {
        var request = ParseRequest("longreq");

        Assert.Equal(34, request.Vias!.Count);
        Assert.Equal("longreq.one" + string.Concat(Enumerable.Repeat("really", 20)) + "longcallid", request.CallId);
    }

    [Fact]
    public void Contact_parameter_without_brackets_belongs_to_the_header_not_the_uri()
    {
        var request = ParseRequest("cparam01");

        Assert.True(NameAddress.TryParse(request.GetHeader(SipHeaderNames.Contact)!, out var contact));
        Assert.True(contact!.Parameters.TryGet("unknownparam", out _));
        Assert.Empty(contact.Uri.Parameters);
    }

    [Fact]
    public void Escaped_header_in_a_bracketed_contact_is_accepted()
    {
        var request = ParseRequest("regescrt");

        Assert.True(NameAddress.TryParse(request.GetHeader(SipHeaderNames.Contact)!, out var contact));
        Assert.Equal("Route=%3Csip:sip.example.com%3E", contact!.Uri.Headers);
    }

    [Fact]
    public void Multipart_body_is_framed_by_content_length()
    {
        var request = ParseRequest("mpart01");

        Assert.Equal(553, request.Body.Length);
    }

    [Theory]
    [InlineData("unreason", 200)]
    [InlineData("noreason", 100)]
    [InlineData("bcast", 200)]
    public void Valid_responses_parse(string name, int status)
    {
        Assert.True(SipMessageParser.TryParse(TestFiles.Torture(name), false, out var message));

        Assert.Equal(status, Assert.IsType<SipResponse>(message).StatusCode);
    }

    [Fact]
    public void Overlarge_response_code_is_rejected_by_the_parser()
    {
        var parsed = SipMessageParser.TryParse(TestFiles.Torture("bigcode"), false, out _);

        Assert.False(parsed);
    }

    private static SipRequest ParseRequest(string name)
    {
        Assert.True(SipMessageParser.TryParse(TestFiles.Torture(name), false, out var message));
        return Assert.IsType<SipRequest>(message);
    }
}
