using System.Buffers;
using System.Globalization;
using System.Text;

namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>Serialises messages to wire format with canonical header names and a computed Content-Length.</summary>
public static class SipMessageWriter
{
    /// <summary>Encodes a message; any Content-Length header in <see cref="SipMessage.Headers"/> is replaced.</summary>
    /// <remarks>Measures first, then writes into an array of the exact size: one allocation per response, which
    /// server transactions keep for retransmissions anyway (no growing buffer, no copy).</remarks>
    public static byte[] ToBytes(SipMessage message)
    {
        var bytes = new byte[Measure(message)];
        var output = new Output(bytes);
        Emit(message, ref output);
        return bytes;
    }

    /// <summary>Encodes a message into an array rented from <see cref="ArrayPool{T}.Shared"/>, for a message that is
    /// sent and forgotten: the caller returns the array once the send completed.</summary>
    /// <param name="message">The message.</param>
    /// <param name="length">How many bytes of the (possibly longer) array the message takes.</param>
    public static byte[] ToRentedBytes(SipMessage message, out int length)
    {
        length = Measure(message);
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        var output = new Output(bytes.AsSpan(0, length));
        Emit(message, ref output);
        return bytes;
    }

    /// <summary>Encodes a message into a buffer writer.</summary>
    public static void Write(SipMessage message, IBufferWriter<byte> writer)
    {
        var length = Measure(message);
        var output = new Output(writer.GetSpan(length)[..length]);
        Emit(message, ref output);
        writer.Advance(length);
    }

    private static int Measure(SipMessage message)
    {
        var output = new Output(Span<byte>.Empty, measuring: true);
        Emit(message, ref output);
        return output.Position;
    }

    private static void Emit(SipMessage message, ref Output output)
    {
        switch (message)
        {
            case SipRequest request:
                output.Append(request.Method);
                output.Append(" ");
                output.Append(request.RequestUri);
                output.Append(" SIP/2.0\r\n");
                break;
            case SipResponse response:
                output.Append("SIP/2.0 ");
                output.Append(response.StatusCode);
                output.Append(" ");
                output.Append(response.ReasonPhrase);
                output.Append("\r\n");
                break;
        }

        foreach (var header in message.Headers)
        {
            if (ReferenceEquals(header.Name, SipHeaderNames.ContentLength)
                || header.Name.Equals(SipHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            output.Append(header.Name);
            output.Append(": ");
            output.Append(header.Value);
            output.Append("\r\n");
        }

        output.Append("Content-Length: ");
        output.Append(message.Body.Length);
        output.Append("\r\n\r\n");
        output.Append(message.Body.Span);
    }

    /// <summary>Either counts UTF-8 bytes or writes them, so both passes share one description of the format.</summary>
    private ref struct Output(Span<byte> destination, bool measuring = false)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; }

        public void Append(string text)
        {
            Position += measuring
                ? Encoding.UTF8.GetByteCount(text)
                : Encoding.UTF8.GetBytes(text, _destination[Position..]);
        }

        public void Append(int value)
        {
            Span<byte> digits = stackalloc byte[11];
            value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
            Append(digits[..written]);
        }

        public void Append(scoped ReadOnlySpan<byte> raw)
        {
            if (!measuring)
            {
                raw.CopyTo(_destination[Position..]);
            }

            Position += raw.Length;
        }
    }
}
