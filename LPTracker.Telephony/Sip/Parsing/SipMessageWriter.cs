using System.Buffers;
using System.Globalization;
using System.Text;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Serialises messages to wire format with canonical header names and a computed Content-Length.</summary>
public static class SipMessageWriter
{
    /// <summary>Encodes a message; any Content-Length header in <see cref="SipMessage.Headers"/> is replaced.</summary>
    public static byte[] ToBytes(SipMessage message)
    {
        var writer = new ArrayBufferWriter<byte>(512);
        Write(message, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a message into a buffer writer.</summary>
    public static void Write(SipMessage message, IBufferWriter<byte> writer)
    {
        switch (message)
        {
            case SipRequest request:
                Append(writer, request.Method);
                Append(writer, " ");
                Append(writer, request.RequestUri);
                Append(writer, " SIP/2.0\r\n");
                break;
            case SipResponse response:
                Append(writer, "SIP/2.0 ");
                Append(writer, response.StatusCode.ToString(CultureInfo.InvariantCulture));
                Append(writer, " ");
                Append(writer, response.ReasonPhrase);
                Append(writer, "\r\n");
                break;
        }

        foreach (var header in message.Headers)
        {
            if (ReferenceEquals(header.Name, SipHeaderNames.ContentLength)
                || header.Name.Equals(SipHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Append(writer, header.Name);
            Append(writer, ": ");
            Append(writer, header.Value);
            Append(writer, "\r\n");
        }

        Append(writer, "Content-Length: ");
        Append(writer, message.Body.Length.ToString(CultureInfo.InvariantCulture));
        Append(writer, "\r\n\r\n");
        writer.Write(message.Body.Span);
    }

    private static void Append(IBufferWriter<byte> writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        writer.Advance(written);
    }
}
