namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>
/// Fixed-size byte chunks that completed transactions' records are appended to. A chunk comes back when the
/// generation holding it expires, and the next generation takes it again, so at a steady rate the store allocates
/// nothing. The pool keeps only a few more chunks than one generation needs, so memory falls again after a burst.
/// </summary>
internal sealed class ResponseChunkPool
{
    /// <summary>Small enough that a generation seen by one stripe at a low rate wastes little, under the large object heap.</summary>
    public const int ChunkSize = 8 * 1024;

    private readonly Lock _lock = new();
    private readonly Stack<byte[]> _free = new();
    private int _inUse;

    /// <summary>Chunks handed out and not yet returned.</summary>
    public int InUse => Volatile.Read(ref _inUse);

    /// <summary>Chunks kept for reuse.</summary>
    public int Free
    {
        get
        {
            lock (_lock)
            {
                return _free.Count;
            }
        }
    }

    public byte[] Rent()
    {
        lock (_lock)
        {
            _inUse++;
            return _free.TryPop(out var chunk) ? chunk : new byte[ChunkSize];
        }
    }

    public void Return(List<byte[]> chunks)
    {
        lock (_lock)
        {
            foreach (var chunk in chunks)
            {
                if (chunk.Length != ChunkSize)
                {
                    // A record too large for a chunk had an array of its own: the GC takes it.
                    continue;
                }

                _inUse--;
                // Timer J spans 64 ticks, so 1/32 of the chunks in use is about two ticks' worth.
                if (_free.Count < Math.Max(32, _inUse / 32))
                {
                    _free.Push(chunk);
                }
            }
        }
    }
}
