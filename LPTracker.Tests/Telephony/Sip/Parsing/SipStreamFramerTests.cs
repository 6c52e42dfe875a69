using System.Text;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Tests.Telephony.Sip.Parsing;

public sealed class SipStreamFramerTests
{
    [Fact]
    public void A_complete_message_is_cut_at_content_length()
    {
        var data = Encoding.ASCII.GetBytes("OPTIONS sip:a SIP/2.0\r\nl: 3\r\n\r\nabcOPTIONS");

        var status = SipStreamFramer.TryFrame(data, 65536, out var length);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(data.Length - "OPTIONS".Length, length);
    }

    [Theory]
    [InlineData("OPTIONS sip:a SIP/2.0\nl: 3\n\nabcOPTIONS")]
    [InlineData("OPTIONS sip:a SIP/2.0\nContent-Length: 3\r\n\r\nabcOPTIONS")]
    [InlineData("OPTIONS sip:a SIP/2.0\r\nContent-Length: 3\n\r\nabcOPTIONS")]
    public void Bare_lf_line_ends_are_framed_too(string text)
    {
        var data = Encoding.ASCII.GetBytes(text);

        var status = SipStreamFramer.TryFrame(data, 65536, out var length);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(data.Length - "OPTIONS".Length, length);
    }

    [Theory]
    [InlineData("OPTIONS sip:a SIP/2.0\r\nContent-Length: 3\r\n")]
    [InlineData("OPTIONS sip:a SIP/2.0\r\nContent-Length: 3\r\n\r\nab")]
    public void A_partial_message_needs_more(string text)
    {
        var status = SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(text), 65536, out _);

        Assert.Equal(FrameStatus.NeedMore, status);
    }

    [Theory]
    [InlineData("OPTIONS sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("OPTIONS sip:a SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\n")]
    [InlineData("OPTIONS sip:a SIP/2.0\r\nContent-Length: 70000\r\n\r\n")]
    public void Unframeable_or_oversized_messages_are_invalid(string text)
    {
        var status = SipStreamFramer.TryFrame(Encoding.ASCII.GetBytes(text), 65536, out _);

        Assert.Equal(FrameStatus.Invalid, status);
    }

    [Fact]
    public void Headers_that_never_end_are_cut_off_at_the_size_limit()
    {
        var data = Encoding.ASCII.GetBytes("OPTIONS sip:a SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X-Pad: 0123456789\r\n", 100)));

        var status = SipStreamFramer.TryFrame(data, 1024, out _);

        Assert.Equal(FrameStatus.Invalid, status);
    }

    [Fact]
    public void Keep_alive_crlfs_are_counted_before_a_message()
    {
        var count = SipStreamFramer.CountLeadingCrlf("\r\n\r\nOPTIONS"u8);

        Assert.Equal(4, count);
    }
}
