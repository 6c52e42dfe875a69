using System.Buffers;
using System.Globalization;
using System.Text;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>
/// Turns bytes into a <see cref="SipMessage"/> following RFC 3261 §7: start line, header fields with folding and
/// compact names, Content-Length framing. Requests whose defects still allow an answer come back with
/// <see cref="SipMessage.ParseError"/> set; input that cannot be answered at all returns false (dropped).
/// </summary>
public static class SipMessageParser
{
    private static ReadOnlySpan<byte> HeaderTerminator => "\r\n\r\n"u8;

    /// <summary>Parses one complete message (a datagram, or a frame cut by <see cref="SipStreamFramer"/>).</summary>
    /// <param name="data">The message bytes.</param>
    /// <param name="isStream">True for stream transports, where Content-Length is mandatory.</param>
    /// <param name="message">The message, possibly carrying a <see cref="SipMessage.ParseError"/>.</param>
    public static bool TryParse(ReadOnlyMemory<byte> data, bool isStream, out SipMessage? message)
    {
        message = null;
        var span = data.Span;
        var offset = 0;
        // RFC 3261 §7.5: ignore CRLFs before the start line.
        while (offset + 1 < span.Length && span[offset] == '\r' && span[offset + 1] == '\n')
        {
            offset += 2;
        }

        var headerEnd = span[offset..].IndexOf(HeaderTerminator);
        if (headerEnd < 0)
        {
            // Bare-LF line ends (some embedded stacks send them; RFC 3261 §7 asks for CRLF but robustness matters more
            // than pedantry here): normalise once, off the CRLF hot path.
            return WithCrlfLineEnds(span[offset..]) is { } normalised && TryParse(normalised, isStream, out message);
        }

        // Header fields are read straight from the datagram: a string is made for each value kept (and for nothing
        // else), not one for the whole header section that the values are then cut from.
        var section = span.Slice(offset, headerEnd + 2);
        var firstLineEnd = section.IndexOf("\r\n"u8);
        message = ParseStartLine(section[..firstLineEnd]);
        if (message is null)
        {
            return false;
        }

        ParseHeaders(section, firstLineEnd + 2, message);
        var bodyStart = offset + headerEnd + 4;
        FrameBody(data, bodyStart, isStream, message);
        if (message is SipResponse && message.ParseError is not null)
        {
            // A broken response cannot be answered; the caller drops it.
            message = null;
            return false;
        }

        return true;
    }

    /// <summary>The message with every bare LF of its header section turned into CRLF, or null when it has no blank
    /// line ending the headers in any form.</summary>
    private static byte[]? WithCrlfLineEnds(ReadOnlySpan<byte> span)
    {
        var lf = span.IndexOf("\n\n"u8);
        var mixed = span.IndexOf("\n\r\n"u8);
        var end = lf < 0 ? mixed : mixed < 0 ? lf : Math.Min(lf, mixed);
        if (end < 0)
        {
            return null;
        }

        var headerLength = end + (end == lf ? 2 : 3);
        var result = new List<byte>(span.Length + 64);
        for (var i = 0; i < headerLength; i++)
        {
            if (span[i] == '\n' && (i == 0 || span[i - 1] != '\r'))
            {
                result.Add((byte)'\r');
            }

            result.Add(span[i]);
        }

        result.AddRange(span[headerLength..]);
        return [.. result];
    }

    private static SipMessage? ParseStartLine(ReadOnlySpan<byte> line)
    {
        // UTF-8 never decodes to more chars than it has bytes.
        char[]? rented = null;
        var chars = line.Length <= 512 ? stackalloc char[line.Length] : (rented = ArrayPool<char>.Shared.Rent(line.Length));
        try
        {
            var text = chars[..Encoding.UTF8.GetChars(line, chars)];
            return text.StartsWith("SIP/") ? ParseStatusLine(text) : ParseRequestLine(text);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static SipRequest? ParseRequestLine(ReadOnlySpan<char> line)
    {
        var sp1 = line.IndexOf(' ');
        if (sp1 <= 0 || !SipGrammar.IsToken(line[..sp1]))
        {
            return null;
        }

        var method = InternMethod(line[..sp1]);
        var rest = line[(sp1 + 1)..];
        var sp2 = rest.IndexOf(' ');
        if (sp2 <= 0)
        {
            return new SipRequest(method, new string(rest)) { ParseError = new(400, "Malformed Request-Line") };
        }

        var uri = SipStrings.Get(rest[..sp2]);
        var version = rest[(sp2 + 1)..];
        var request = new SipRequest(method, uri);
        if (version.Contains(' ') || version.Contains('\t'))
        {
            // Extra SP between elements or trailing SP (RFC 4475 §3.1.2.9, §3.1.2.10).
            request.ParseError = new(400, "Malformed Request-Line");
        }
        else if (!version.Equals("SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            request.ParseError = version.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase)
                ? new(505, "Version Not Supported")
                : new(400, "Malformed Request-Line");
        }

        return request;
    }

    private static SipResponse? ParseStatusLine(ReadOnlySpan<char> line)
    {
        if (!line.StartsWith("SIP/2.0 ") || line.Length < 12 || line[11] != ' ')
        {
            return null;
        }

        var code = line.Slice(8, 3);
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100 || status > 699)
        {
            return null;
        }

        return new SipResponse(status, new string(line[12..]));
    }

    private static void ParseHeaders(ReadOnlySpan<byte> text, int pos, SipMessage message)
    {
        while (pos < text.Length)
        {
            var end = IndexOfCrlf(text, pos);
            // A following line starting with SP/HT continues this one (LWS folding, RFC 3261 §7.3.1).
            var next = end + 2;
            var folded = false;
            while (next < text.Length && SipGrammar.IsWhitespace((char)text[next]))
            {
                folded = true;
                end = IndexOfCrlf(text, next);
                next = end + 2;
            }

            AddHeaderLine(text[pos..end], folded, message);
            pos = next;
        }
    }

    private static int IndexOfCrlf(ReadOnlySpan<byte> text, int from)
    {
        var found = text[from..].IndexOf("\r\n"u8);
        return found < 0 ? text.Length : from + found;
    }

    private static void AddHeaderLine(ReadOnlySpan<byte> line, bool folded, SipMessage message)
    {
        var colon = line.IndexOf((byte)':');
        var rawName = colon > 0 ? line[..colon].TrimEnd(" \t"u8) : default;
        var canonical = SipHeaderNames.FromCanonicalBytes(rawName) ?? CanonicalName(rawName, message);
        if (canonical is null)
        {
            return;
        }

        var rawValue = line[(colon + 1)..].Trim(" \t\r\n"u8);
        // Unfold: drop the CRLFs, keep the whitespace that followed them.
        var value = folded ? Encoding.UTF8.GetString(rawValue).Replace("\r\n", "", StringComparison.Ordinal)
            : SipStrings.Get(rawValue);
        message.Headers.Add(new SipHeader(canonical, value));
    }

    /// <summary>The canonical name of a header name written in another case, in compact form or unknown; null (and a
    /// parse error noted) when it is not a token.</summary>
    private static string? CanonicalName(ReadOnlySpan<byte> rawName, SipMessage message)
    {
        // Names are tokens, so ASCII: widening byte to char is enough to compare and canonicalise them.
        Span<char> name = stackalloc char[Math.Min(rawName.Length, 128)];
        if (rawName.Length > name.Length)
        {
            message.ParseError ??= new(400, "Malformed Header Line");
            return null;
        }

        Encoding.Latin1.GetChars(rawName, name);
        if (!SipGrammar.IsToken(name))
        {
            message.ParseError ??= new(400, "Malformed Header Line");
            return null;
        }

        return SipHeaderNames.Canonicalize(name);
    }

    private static void FrameBody(ReadOnlyMemory<byte> data, int bodyStart, bool isStream, SipMessage message)
    {
        var available = data.Length - bodyStart;
        var lengthCount = message.CountHeader(SipHeaderNames.ContentLength);
        if (lengthCount == 0)
        {
            if (isStream)
            {
                message.ParseError ??= new(400, "Missing Content-Length");
            }

            message.Body = isStream ? ReadOnlyMemory<byte>.Empty : data[bodyStart..];
            return;
        }

        if (lengthCount > 1)
        {
            message.ParseError ??= new(400, "Multiple Content-Length");
            message.Body = ReadOnlyMemory<byte>.Empty;
            return;
        }

        var value = message.GetHeader(SipHeaderNames.ContentLength)!;
        if (!TryParseContentLength(value, out var length))
        {
            message.ParseError ??= new(400, "Bad Content-Length");
            message.Body = ReadOnlyMemory<byte>.Empty;
            return;
        }

        if (length > available)
        {
            // RFC 3261 §18.3: over UDP a Content-Length larger than the datagram is answered 400.
            message.ParseError ??= new(400, "Content-Length Exceeds Message");
            message.Body = data[bodyStart..];
            return;
        }

        // Octets beyond Content-Length (UDP) are discarded (RFC 4475 §3.1.1.8).
        message.Body = data.Slice(bodyStart, length);
    }

    /// <summary>Parses a Content-Length value: digits only, at most 9 of them.</summary>
    internal static bool TryParseContentLength(ReadOnlySpan<char> value, out int length)
    {
        length = 0;
        value = value.Trim(" \t");
        return value.Length is > 0 and <= 9
            && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length);
    }

    private static string InternMethod(ReadOnlySpan<char> method) => method switch
    {
        "REGISTER" => SipMethods.Register,
        "OPTIONS" => SipMethods.Options,
        "INVITE" => SipMethods.Invite,
        "ACK" => SipMethods.Ack,
        "BYE" => SipMethods.Bye,
        "CANCEL" => SipMethods.Cancel,
        _ => new string(method),
    };
}
