namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>
/// Fixed-size byte chunks that completed transactions' records are appended to. A chunk comes back when the
/// generation holding it expires, and the next generation takes it again, so at a steady rate the store allocates
/// nothing. The pool keeps a few generations' worth more, so memory falls again after a burst.
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
                // Timer J spans 64 ticks, so 1/8 of the chunks in use is about eight ticks' worth: enough for a sweep
                // that ran late (several generations at once) or a rate that dipped 32 s ago. Two ticks' worth dropped
                // 220–400 chunks a minute at 10,000 registrations/s, each replaced later by a new one that reached
                // gen 2 (decision 0096); what stays after a burst is still only an eighth of its peak.
                if (_free.Count < Math.Max(64, _inUse / 8))
                {
                    _free.Push(chunk);
                }
            }
        }
    }
}
