using System.Text;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>The outcome of looking for one message at the start of a stream buffer.</summary>
public enum FrameStatus
{
    /// <summary>A whole message is available.</summary>
    Complete,

    /// <summary>More bytes are needed.</summary>
    NeedMore,

    /// <summary>The stream cannot be framed (too large, bad Content-Length); close the connection.</summary>
    Invalid,
}

/// <summary>Cuts SIP messages out of a byte stream by the header terminator and Content-Length (RFC 3261 §18.3).</summary>
public static class SipStreamFramer
{
    /// <summary>Number of leading CRLF bytes (keep-alives, RFC 5626 §3.5.1) that precede the next message.</summary>
    public static int CountLeadingCrlf(ReadOnlySpan<byte> buffer)
    {
        var i = 0;
        while (i + 1 < buffer.Length && buffer[i] == '\r' && buffer[i + 1] == '\n')
        {
            i += 2;
        }

        return i;
    }

    /// <summary>Looks for a complete message at the start of <paramref name="buffer"/> (after any CRLFs were removed).</summary>
    public static FrameStatus TryFrame(ReadOnlySpan<byte> buffer, int maxMessageSize, out int messageLength)
    {
        messageLength = 0;
        var searchable = buffer.Length > maxMessageSize ? buffer[..maxMessageSize] : buffer;
        var headersLength = HeadersLength(searchable);
        if (headersLength < 0)
        {
            // A peer sending header bytes forever is cut off here.
            return buffer.Length >= maxMessageSize ? FrameStatus.Invalid : FrameStatus.NeedMore;
        }

        var contentLength = FindContentLength(buffer[..headersLength]);
        if (contentLength < 0)
        {
            return FrameStatus.Invalid;
        }

        var total = (long)headersLength + contentLength;
        if (total > maxMessageSize)
        {
            return FrameStatus.Invalid;
        }

        if (buffer.Length < total)
        {
            return FrameStatus.NeedMore;
        }

        messageLength = (int)total;
        return FrameStatus.Complete;
    }

    /// <summary>The length of the header section up to and including the blank line that ends it, or -1 when it has not
    /// all arrived. Lines may end in a bare LF (as the UDP parser accepts: some embedded stacks send them), so the blank
    /// line is the first LF followed by LF or by CRLF.</summary>
    private static int HeadersLength(ReadOnlySpan<byte> buffer)
    {
        var lf = buffer.IndexOf("\n\n"u8);
        var crlf = buffer.IndexOf("\n\r\n"u8);
        if (lf < 0 && crlf < 0)
        {
            return -1;
        }

        return lf >= 0 && (crlf < 0 || lf < crlf) ? lf + 2 : crlf + 3;
    }

    /// <summary>The Content-Length in a header block, 0 when absent, -1 when malformed or repeated differently.</summary>
    private static int FindContentLength(ReadOnlySpan<byte> headers)
    {
        var result = 0;
        var found = false;
        Span<char> chars = stackalloc char[16];
        var lineStart = headers.IndexOf((byte)'\n') + 1;
        while (lineStart < headers.Length)
        {
            var rel = headers[lineStart..].IndexOf((byte)'\n');
            var line = rel < 0 ? default : headers.Slice(lineStart, rel).TrimEnd("\r"u8);
            if (line.IsEmpty)
            {
                break;
            }

            lineStart += rel + 1;
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (!name.SequenceEqual("l"u8) && !name.SequenceEqual("L"u8)
                && !Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.Length > chars.Length)
            {
                return -1;
            }

            for (var i = 0; i < value.Length; i++)
            {
                chars[i] = (char)value[i];
            }

            if (!SipMessageParser.TryParseContentLength(chars[..value.Length], out var length)
                || (found && length != result))
            {
                return -1;
            }

            found = true;
            result = length;
        }

        return result;
    }
}
