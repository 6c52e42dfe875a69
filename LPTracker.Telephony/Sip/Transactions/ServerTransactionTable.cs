using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Numerics;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>A handle on one non-INVITE server transaction (RFC 3261 §17.2.2): its key in the table.</summary>
public readonly struct ServerTransaction
{
    internal ServerTransaction(UInt128 key) => Key = key;

    internal UInt128 Key { get; }
}

/// <summary>
/// Holds non-INVITE server transactions so a retransmitted request is answered with the response sent before instead
/// of reaching the registrar again. Completed transactions are kept for Timer J = 64*T1 on UDP and dropped at once on
/// reliable transports. At 10,000 registrations/s that is ~320,000 of them, so a completed one keeps only a 16-byte
/// key and the part of its response that is not copied from the request (status line, the To tag it added, the
/// headers after CSeq, the body): a retransmission — the same request again — supplies the rest (decision 0066).
/// Keys fall into stripes with a short lock each; records expire a sweep tick at a time.
/// </summary>
public sealed class ServerTransactionTable : IDisposable
{
    private const byte WholeMessage = byte.MaxValue;
    private const byte Regenerated = byte.MaxValue - 1;
    private const int RegeneratedLength = 4 + 8 + 8;
    private readonly ServerTransactionStripe[] _stripes;
    private readonly Lock _regeneratorsLock = new();
    private IResponseRegenerator[] _regenerators = [];
    private readonly ResponseChunkPool _chunks = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private int _sweeping;

    /// <summary>Creates the table; <paramref name="t1"/> is RFC 3261's T1.</summary>
    public ServerTransactionTable(TimeProvider time, TimeSpan t1)
    {
        _time = time;
        var tick = TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(10, t1.TotalMilliseconds)));
        // Eight stripes per processor make two receive threads meeting on one lock rare; more would only waste a
        // partly filled chunk per stripe and tick.
        var stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 8, 16, 256));
        _stripes = new ServerTransactionStripe[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new ServerTransactionStripe(_chunks, tick.Ticks, (t1 * 64).Ticks);
        }

        _sweep = time.CreateTimer(_ => Sweep(), null, tick, tick);
    }

    /// <summary>Number of live transactions (in progress and completed).</summary>
    public int Count => _stripes.Sum(s => s.Count);

    /// <summary>Bytes of record chunks in use, for the memory bench.</summary>
    internal long ChunkBytes => (long)_chunks.InUse * ResponseChunkPool.ChunkSize;

    /// <summary>
    /// Starts a transaction for <paramref name="request"/>; returns false with the existing one when the request is
    /// a retransmission.
    /// </summary>
    public bool TryBegin(SipRequest request, out ServerTransaction transaction)
    {
        transaction = new ServerTransaction(ServerTransactionKey.Of(request));
        return StripeOf(transaction).TryBegin(transaction.Key);
    }

    /// <summary>
    /// Sends the final response, keeping what a retransmission needs until Timer J fires on UDP; on reliable
    /// transports the transaction ends at once (Timer J is 0).
    /// </summary>
    public async ValueTask CompleteAsync(ServerTransaction transaction, SipResponse response, SipFlow flow, IPEndPoint destination,
        ISipSender sender, CancellationToken cancellationToken)
    {
        var wire = SipMessageWriter.ToRentedBytes(response, out var length, out var echoEnd);
        try
        {
            if (flow.IsReliable)
            {
                Abandon(transaction);
            }
            else
            {
                Keep(transaction, response, wire.AsSpan(0, length), echoEnd);
            }

            await sender.SendAsync(flow, destination, wire.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(wire);
        }
    }

    /// <summary>
    /// Answers a retransmission of <paramref name="request"/> with the response its transaction sent; nothing while
    /// the first copy is still being processed (Trying: the retransmission is absorbed, RFC 3261 §17.2.2).
    /// </summary>
    public async ValueTask RetransmitAsync(ServerTransaction transaction, SipRequest request, SipFlow flow, IPEndPoint destination,
        ISipSender sender, CancellationToken cancellationToken)
    {
        if (StripeOf(transaction).CopyPayload(transaction.Key, out var payloadLength) is not { } payload)
        {
            return;
        }

        byte[]? wire = null;
        try
        {
            var kept = payload.AsSpan(0, payloadLength);
            var statusLength = BinaryPrimitives.ReadUInt16LittleEndian(kept);
            var marker = kept[2 + statusLength];
            ReadOnlyMemory<byte> message;
            if (statusLength == 0 && marker == Regenerated)
            {
                if (Regenerate(kept, request) is not { } response)
                {
                    return;
                }

                wire = SipMessageWriter.ToRentedBytes(response, out var length);
                message = wire.AsMemory(0, length);
            }
            else
            {
                var statusLine = kept.Slice(2, statusLength);
                var tagLength = marker == WholeMessage ? 0 : marker;
                var tag = kept.Slice(3 + statusLength, tagLength);
                var rest = kept[(3 + statusLength + tagLength)..];
                message = payload.AsMemory(3 + statusLength + tagLength, rest.Length);
                if (marker != WholeMessage)
                {
                    var echo = SipResponseFactory.Echo(request, tagLength == 0 ? null : Encoding.UTF8.GetString(tag));
                    wire = SipMessageWriter.ToRentedBytes(statusLine, echo, rest, out var length);
                    message = wire.AsMemory(0, length);
                }
            }

            await sender.SendAsync(flow, destination, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
            if (wire is not null)
            {
                ArrayPool<byte>.Shared.Return(wire);
            }
        }
    }

    /// <summary>Forgets a transaction that ended without a stored response (e.g. the request was dropped).</summary>
    public void Abandon(ServerTransaction transaction) => StripeOf(transaction).Abandon(transaction.Key);

    /// <summary>Removes transactions whose Timer J fired.</summary>
    public void Sweep()
    {
        // Timer callbacks may overlap when a sweep runs long; one sweeper at a time.
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _time.GetUtcNow().UtcTicks;
            foreach (var stripe in _stripes)
            {
                stripe.Sweep(now);
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _sweep.Dispose();

    /// <summary>
    /// Keeps the status line, the To tag the response added and the bytes after the copied headers; when the copied
    /// headers were changed after <see cref="SipResponseFactory.Create"/> (or the response was not built by it), the
    /// whole message instead.
    /// </summary>
    private void Keep(ServerTransaction transaction, SipResponse response, ReadOnlySpan<byte> wire, int echoEnd)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (response is { Regenerator: { } regenerator, RequestIdentity: { } identity, HasIntactEcho: true }
            && IndexOf(regenerator) is var index and >= 0)
        {
            // Built again on a retransmission: the 20 bytes its regenerator and the identity check need (decision 0075).
            Span<byte> compact = stackalloc byte[RegeneratedLength];
            BinaryPrimitives.WriteUInt16LittleEndian(compact, 0);
            compact[2] = Regenerated;
            compact[3] = (byte)index;
            BinaryPrimitives.WriteInt64LittleEndian(compact[4..], response.RegenerationState);
            BinaryPrimitives.WriteUInt64LittleEndian(compact[12..], identity);
            StripeOf(transaction).Complete(transaction.Key, compact, [], now);
            return;
        }

        var tag = response.AddedToTag;
        Span<byte> head = stackalloc byte[3 + 512];
        var statusLength = wire.IndexOf("\r\n"u8);
        var tagLength = tag is null ? 0 : Encoding.UTF8.GetByteCount(tag);
        if (!response.HasIntactEcho || echoEnd < 0 || statusLength < 0 || statusLength > 256 || tagLength >= WholeMessage)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(head, 0);
            head[2] = WholeMessage;
            StripeOf(transaction).Complete(transaction.Key, head[..3], wire, now);
            return;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(head, (ushort)statusLength);
        wire[..statusLength].CopyTo(head[2..]);
        head[2 + statusLength] = (byte)tagLength;
        if (tag is not null)
        {
            Encoding.UTF8.GetBytes(tag, head[(3 + statusLength)..]);
        }

        StripeOf(transaction).Complete(transaction.Key, head[..(3 + statusLength + tagLength)], wire[echoEnd..], now);
    }

    /// <summary>
    /// The response for a retransmission of a request whose response is built again, or null when the retransmission
    /// is not the same request (it matches the key but names another AOR, Call-ID or CSeq): that gets no answer.
    /// </summary>
    private SipResponse? Regenerate(ReadOnlySpan<byte> kept, SipRequest request)
    {
        if (kept.Length < RegeneratedLength || ServerTransactionKey.Identity(request) != BinaryPrimitives.ReadUInt64LittleEndian(kept[12..]))
        {
            return null;
        }

        var regenerator = Volatile.Read(ref _regenerators)[kept[3]];
        return regenerator.Regenerate(request, BinaryPrimitives.ReadInt64LittleEndian(kept[4..]));
    }

    /// <summary>The regenerator's number in this table (there is one per handler: the registrar), or -1 past 250 of them.</summary>
    private int IndexOf(IResponseRegenerator regenerator)
    {
        var known = Volatile.Read(ref _regenerators);
        var index = Array.IndexOf(known, regenerator);
        if (index >= 0)
        {
            return index;
        }

        lock (_regeneratorsLock)
        {
            known = _regenerators;
            index = Array.IndexOf(known, regenerator);
            if (index < 0 && known.Length < 250)
            {
                index = known.Length;
                Volatile.Write(ref _regenerators, [.. known, regenerator]);
            }

            return index;
        }
    }

    private ServerTransactionStripe StripeOf(ServerTransaction transaction) =>
        _stripes[(int)((ulong)(transaction.Key >> 64) & (ulong)(_stripes.Length - 1))];
}
