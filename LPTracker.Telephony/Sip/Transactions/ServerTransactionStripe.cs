using System.Buffers;
using System.Buffers.Binary;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>
/// One stripe of the server transaction table (keys fall into stripes by hash, one short lock each): the index of its
/// transactions and the records of the completed ones, appended to chunks in completion order. Timer J is the same
/// for every transaction, so completion order is expiry order: records are grouped into generations of one sweep
/// tick, and a generation expires whole — its keys leave the index and its chunks go back to the pool.
/// </summary>
/// <remarks>
/// A record is <c>[int32 length][16-byte key][payload]</c>; a zero length (or the chunk's end) ends a chunk.
/// What the payload holds is <see cref="ServerTransactionTable"/>'s business. The index maps a key to
/// <see cref="InProgress"/> or to where its record lies: the chunk's number in this stripe and the offset in it, one
/// int (decision 0076).
/// </remarks>
internal sealed class ServerTransactionStripe(ResponseChunkPool pool, long tickTicks, long timerJTicks)
{
    private const int Header = 4 + 16;
    private const int InProgress = -1;
    private const int OffsetBits = 13;
    private const int OffsetMask = (1 << OffsetBits) - 1;
    private readonly Lock _lock = new();
    private readonly TransactionKeyIndex _index = new();
    private readonly List<byte[]?> _chunks = [];
    private readonly Stack<int> _freeChunkNumbers = new();
    private readonly Queue<Generation> _closed = new();
    private Generation? _open;
    private int _peakSinceTrim;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="key"/> as a transaction in progress; false when it is already here.</summary>
    public bool TryBegin(UInt128 key)
    {
        lock (_lock)
        {
            return _index.TryAdd(key, InProgress);
        }
    }

    /// <summary>Forgets a transaction still in progress (completed ones leave only when their generation expires).</summary>
    public void Abandon(UInt128 key)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var handle) && handle == InProgress)
            {
                _index.Remove(key);
            }
        }
    }

    /// <summary>Stores the completed transaction's record, whose payload is <paramref name="head"/> then <paramref name="rest"/>.</summary>
    public void Complete(UInt128 key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> rest, long now)
    {
        var length = Header + head.Length + rest.Length;
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out _))
            {
                return;
            }

            var (number, offset) = OpenGeneration(now).Reserve(length, this);
            var record = _chunks[number]!.AsSpan(offset, length);
            BinaryPrimitives.WriteInt32LittleEndian(record, length);
            BinaryPrimitives.WriteUInt128LittleEndian(record[4..], key);
            head.CopyTo(record[Header..]);
            rest.CopyTo(record[(Header + head.Length)..]);
            _index.TrySet(key, (number << OffsetBits) | offset);
        }
    }

    /// <summary>
    /// A pooled copy of a completed transaction's payload (the caller returns it to <see cref="ArrayPool{T}.Shared"/>),
    /// or null while it is in progress (or gone).
    /// </summary>
    public byte[]? CopyPayload(UInt128 key, out int length)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var handle) || handle == InProgress)
            {
                length = 0;
                return null;
            }

            var record = _chunks[handle >> OffsetBits]!.AsSpan(handle & OffsetMask);
            length = BinaryPrimitives.ReadInt32LittleEndian(record) - Header;
            var copy = ArrayPool<byte>.Shared.Rent(length);
            record.Slice(Header, length).CopyTo(copy);
            return copy;
        }
    }

    /// <summary>Drops every generation whose Timer J has run out.</summary>
    public void Sweep(long now)
    {
        List<byte[]>? released = null;
        lock (_lock)
        {
            if (_open is not null && now >= _open.ClosesAt)
            {
                Close();
            }

            while (_closed.TryPeek(out var head) && head.ExpiresAt <= now)
            {
                _closed.Dequeue();
                foreach (var number in head.Chunks)
                {
                    Forget(number);
                    (released ??= []).Add(_chunks[number]!);
                    _chunks[number] = null;
                    _freeChunkNumbers.Push(number);
                }
            }

            TrimIndex();
        }

        if (released is not null)
        {
            pool.Return(released);
        }
    }

    private Generation OpenGeneration(long now)
    {
        if (_open is not null && now >= _open.ClosesAt)
        {
            Close();
        }

        return _open ??= new Generation(now + tickTicks, now + tickTicks + timerJTicks);
    }

    private void Close()
    {
        _open!.Seal();
        _closed.Enqueue(_open);
        _open = null;
    }

    /// <summary>A chunk for a generation's records (or an array of its own for one too large), and its number here.</summary>
    private int Take(int length)
    {
        var chunk = length > ResponseChunkPool.ChunkSize ? new byte[length] : pool.Rent();
        if (_freeChunkNumbers.TryPop(out var number))
        {
            _chunks[number] = chunk;
            return number;
        }

        _chunks.Add(chunk);
        return _chunks.Count - 1;
    }

    /// <summary>Removes the keys recorded in chunk <paramref name="number"/> that still point at their record there.</summary>
    private void Forget(int number)
    {
        var chunk = _chunks[number]!;
        var offset = 0;
        while (offset + Header <= chunk.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset));
            if (length <= 0)
            {
                break;
            }

            var key = BinaryPrimitives.ReadUInt128LittleEndian(chunk.AsSpan(offset + 4));
            if (_index.TryGetValue(key, out var handle) && handle == ((number << OffsetBits) | offset))
            {
                _index.Remove(key);
            }

            offset += length;
        }
    }

    /// <summary>After a burst the index's arrays would stay at their peak size; give most of that back once it has ebbed.</summary>
    private void TrimIndex()
    {
        _peakSinceTrim = Math.Max(_peakSinceTrim, _index.Count);
        if (_peakSinceTrim >= 4096 && _index.Count < _peakSinceTrim / 4)
        {
            _index.TrimExcess();
            _peakSinceTrim = _index.Count;
        }
    }

    /// <summary>The records completed during one sweep tick.</summary>
    private sealed class Generation(long closesAt, long expiresAt)
    {
        private byte[]? _current;
        private int _currentNumber;
        private int _used;

        public long ClosesAt { get; } = closesAt;

        public long ExpiresAt { get; } = expiresAt;

        /// <summary>The numbers of its chunks in the stripe.</summary>
        public List<int> Chunks { get; } = [];

        public (int Number, int Offset) Reserve(int length, ServerTransactionStripe stripe)
        {
            if (length > ResponseChunkPool.ChunkSize)
            {
                var own = stripe.Take(length);
                Chunks.Add(own);
                return (own, 0);
            }

            if (_current is null || _used + length > _current.Length)
            {
                Seal();
                _currentNumber = stripe.Take(length);
                _current = stripe._chunks[_currentNumber];
                Chunks.Add(_currentNumber);
                _used = 0;
            }

            var offset = _used;
            _used += length;
            return (_currentNumber, offset);
        }

        /// <summary>Ends the current chunk's records: a reused chunk still holds an older generation's bytes.</summary>
        public void Seal()
        {
            if (_current is not null && _used + 4 <= _current.Length)
            {
                BinaryPrimitives.WriteInt32LittleEndian(_current.AsSpan(_used), 0);
            }
        }
    }
}
