using System.Text;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.Sip.Parsing;

public sealed class SipRequestValidatorTests
{
    private const string Via = "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-v1\r\n";
    private const string From = "From: <sip:alice@example.com>;tag=1\r\n";
    private const string To = "To: <sip:alice@example.com>\r\n";
    private const string CallId = "Call-ID: v1@192.0.2.10\r\n";
    private const string CSeq = "CSeq: 1 REGISTER\r\n";
    private const string MaxForwards = "Max-Forwards: 70\r\n";

    /// <summary>Each mandatory header missing or repeated (in any case or compact form), and the 400 that names it;
    /// the first defect in From, To, Call-ID, CSeq, Max-Forwards order is the one named.</summary>
    [Theory]
    [InlineData(Via + To + CallId + CSeq, "Missing From")]
    [InlineData(Via + From + CallId + CSeq, "Missing To")]
    [InlineData(Via + From + To + CSeq, "Missing Call-ID")]
    [InlineData(Via + From + To + CallId, "Missing CSeq")]
    [InlineData(Via + From + "f: <sip:bob@example.com>;tag=2\r\n" + To + CallId + CSeq, "Multiple From")]
    [InlineData(Via + From + To + "t: <sip:bob@example.com>\r\n" + CallId + CSeq, "Multiple To")]
    [InlineData(Via + From + To + CallId + "call-id: other\r\n" + CSeq, "Multiple Call-ID")]
    [InlineData(Via + From + To + CallId + CSeq + "CSEQ: 2 REGISTER\r\n", "Multiple CSeq")]
    [InlineData(Via + From + To + CallId + CSeq + MaxForwards + "max-forwards: 69\r\n", "Multiple Max-Forwards")]
    [InlineData(Via + CSeq + CSeq + CallId, "Missing From")]
    [InlineData(Via + From + From + CallId, "Multiple From")]
    public void A_mandatory_header_missing_or_repeated_is_answered_400_naming_it(string headers, string reason)
    {
        var request = Parse(headers);

        var error = SipRequestValidator.Validate(request, [], out _);

        Assert.Equal(new SipError(400, reason), error);
    }

    [Theory]
    [InlineData(Via + From + To + CallId + CSeq)]
    [InlineData(Via + From + To + CallId + CSeq + MaxForwards)]
    [InlineData("v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-v1\r\nf: <sip:alice@example.com>;tag=1\r\nt: <sip:alice@example.com>\r\ni: v1\r\ncseq: 1 REGISTER\r\n")]
    public void A_request_with_each_mandatory_header_once_passes(string headers)
    {
        var request = Parse(headers);

        var error = SipRequestValidator.Validate(request, [], out _);

        Assert.Null(error);
    }

    [Fact]
    public void An_unsupported_Require_is_answered_420_listing_it()
    {
        var request = Parse(Via + From + To + CallId + CSeq + "Require: 100rel, foo\r\nrequire: path\r\n");

        var error = SipRequestValidator.Validate(request, ["path"], out var unsupported);

        Assert.Equal(new SipError(420, "Bad Extension"), error);
        Assert.Equal("100rel, foo", unsupported);
    }

    private static SipRequest Parse(string headers)
    {
        var text = "REGISTER sip:example.com SIP/2.0\r\n" + headers + "Content-Length: 0\r\n\r\n";
        Assert.True(SipMessageParser.TryParse(Encoding.ASCII.GetBytes(text), isStream: false, out var message));
        return (SipRequest)message!;
    }
}
