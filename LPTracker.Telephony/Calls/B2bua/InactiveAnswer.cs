using System.Text;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>
/// The placeholder answer click-to-call gives the employee's offer while the client's phone rings (decision 0017):
/// the offer's own lines with every media section made <c>a=inactive</c>, so no RTP flows yet and the employee's
/// phone has its ACK at once. Line-based and byte-preserving (Latin-1): garbage SDP goes through unchanged apart
/// from the direction attributes, and nothing here can throw on it.
/// </summary>
internal static class InactiveAnswer
{
    private static readonly string[] Directions = ["a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"];

    /// <summary>The offer with its direction attributes replaced by one <c>a=inactive</c> per media section (or one
    /// for the session when it has none).</summary>
    public static ReadOnlyMemory<byte> For(ReadOnlyMemory<byte> offer)
    {
        var lines = Encoding.Latin1.GetString(offer.Span).Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0 && !Directions.Contains(l.Trim(), StringComparer.OrdinalIgnoreCase)).ToList();
        var output = new StringBuilder();
        var inMedia = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                if (inMedia)
                {
                    output.Append("a=inactive\r\n");
                }

                inMedia = true;
            }

            output.Append(line).Append("\r\n");
        }

        output.Append("a=inactive\r\n");
        return Encoding.Latin1.GetBytes(output.ToString());
    }
}
