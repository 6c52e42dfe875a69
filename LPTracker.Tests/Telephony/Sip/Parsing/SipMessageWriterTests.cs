using System.Buffers;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.Sip.Parsing;

/// <summary>
/// A message written into a pooled array sized by an upper bound (decision 0092) is byte for byte what the exact-size
/// writer produces, whatever the text holds: multi-byte UTF-8, surrogate pairs, lone surrogates, a body.
/// </summary>
public sealed class SipMessageWriterTests
{
    public static TheoryData<string, string> Values() => new()
    {
        { "plain", "<sip:alice@example.com>;tag=1" },
        { "cyrillic", "\"Иван Петров\" <sip:ivan@example.com>" },
        { "surrogate pair", "\"\U0001F600 phone\" <sip:emoji@example.com>" },
        { "lone surrogate", "\"\ud800x\" <sip:lone@example.com>" },
        { "three-byte only", new string('€', 300) },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_pooled_request_is_the_exact_bytes(string what, string value)
    {
        var request = new SipRequest("REGISTER", "sip:example.com");
        request.AddHeader(SipHeaderNames.Via, "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1");
        request.AddHeader(SipHeaderNames.From, value);
        request.AddHeader("X-" + what.Replace(' ', '-'), value);
        request.AddHeader(SipHeaderNames.ContentLength, "999");
        request.Body = "v=0\r\nщ"u8.ToArray();

        var exact = SipMessageWriter.ToBytes(request);
        var pooled = SipMessageWriter.ToRentedBytes(request, out var length);
        try
        {
            Assert.Equal(exact, pooled.AsSpan(0, length).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void A_pooled_response_is_the_exact_bytes_and_marks_where_the_echo_ends(string what, string value)
    {
        var request = new SipRequest("REGISTER", "sip:example.com");
        request.AddHeader(SipHeaderNames.Via, "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1");
        request.AddHeader(SipHeaderNames.From, value + ";tag=f");
        request.AddHeader(SipHeaderNames.To, value);
        request.AddHeader(SipHeaderNames.CallId, "c1");
        request.AddHeader(SipHeaderNames.CSeq, "1 REGISTER");
        var response = SipResponseFactory.Create(request, 200, "OK " + what);
        response.AddHeader(SipHeaderNames.Contact, value);

        var exact = SipMessageWriter.ToBytes(response);
        var pooled = SipMessageWriter.ToRentedBytes(response, out var length, out var echoEnd);
        try
        {
            Assert.Equal(exact, pooled.AsSpan(0, length).ToArray());
            var text = System.Text.Encoding.UTF8.GetString(exact);
            var afterEcho = System.Text.Encoding.UTF8.GetString(exact.AsSpan(echoEnd));
            Assert.StartsWith("Contact: ", afterEcho, StringComparison.Ordinal);
            Assert.Contains("CSeq: 1 REGISTER\r\n", text[..^afterEcho.Length], StringComparison.Ordinal);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}
