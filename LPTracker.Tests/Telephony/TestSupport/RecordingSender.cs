using System.Collections.Concurrent;
using System.Net;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>An <see cref="ISipSender"/> that records what the stack sends instead of using sockets.</summary>
internal sealed class RecordingSender : ISipSender
{
    public ConcurrentQueue<(SipFlow Flow, IPEndPoint Destination, byte[] Data)> Sent { get; } = new();

    /// <summary>Called for every send (e.g. to answer qualify pings); may be null.</summary>
    public Func<SipMessage, ValueTask>? OnSend { get; set; }

    /// <summary>Whether sends succeed (false simulates a closed TCP connection).</summary>
    public bool Succeeds { get; set; } = true;

    public async ValueTask<bool> SendAsync(SipFlow flow, IPEndPoint destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Sent.Enqueue((flow, destination, data.ToArray()));
        if (OnSend is { } hook && SipMessageParser.TryParse(data.ToArray(), false, out var message))
        {
            await hook(message!);
        }

        return Succeeds;
    }

    public IReadOnlyList<SipMessage> Messages() =>
        Sent.Select(s => SipMessageParser.TryParse(s.Data, false, out var m) ? m! : throw new InvalidOperationException("unparseable")).ToList();

    public void Clear() => Sent.Clear();
}
