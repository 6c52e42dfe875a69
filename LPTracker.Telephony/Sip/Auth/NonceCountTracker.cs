namespace LPTracker.Telephony.Sip.Auth;

/// <summary>
/// Remembers the highest nonce-count used with each nonce so a captured request cannot be replayed
/// (RFC 7616 §3.3, §5.12), in a fixed array of slots indexed by the nonce's sequence number (as Kamailio's
/// nc_array does): nothing is allocated per request and nothing lives on for a nonce's lifetime to be collected later.
/// A slot holds the generation (sequence / slots) of the newest nonce accepted there and its highest count; an older
/// generation in the same slot is refused (the client gets a fresh nonce, <c>stale=true</c>), so overwriting a slot
/// never re-opens a replay window. A nonce keeps working until a nonce issued <see cref="Capacity"/> challenges later
/// is used — at 10,000 challenges/s and the default 262,144 slots, 26 s; phones use theirs within milliseconds.
/// </summary>
public sealed class NonceCountTracker
{
    private readonly long[] _slots;
    private readonly int _shift;
    private readonly long _mask;

    /// <summary>
    /// Creates a tracker of at least <paramref name="capacity"/> slots (rounded up to a power of two) for nonces numbered
    /// from <paramref name="firstSequence"/> on (<see cref="NonceService.FirstSequence"/>).
    /// </summary>
    public NonceCountTracker(int capacity = 200_000, long firstSequence = 1)
    {
        var slots = (int)Math.Min(1 << 24, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity)));
        _slots = new long[slots];
        _shift = System.Numerics.BitOperations.Log2((uint)slots);
        _mask = slots - 1;
        // Every slot starts one generation behind the first nonce, so each nonce of this process is new to its slot.
        Array.Fill(_slots, (long)((ulong)(Generation(firstSequence) - 1) << 32));
    }

    /// <summary>Number of slots, i.e. how many later nonces may be used before an unused one is refused as stale.</summary>
    public int Capacity => _slots.Length;

    /// <summary>
    /// Accepts <paramref name="nc"/> if it is higher than any count seen with the nonce of this sequence number; false
    /// means a replay or a nonce superseded in its slot, which the caller answers with a fresh challenge.
    /// </summary>
    public bool TryAccept(long sequence, uint nc)
    {
        ref var slot = ref _slots[sequence & _mask];
        var generation = Generation(sequence);
        var next = ((long)generation << 32) | nc;
        while (true)
        {
            var current = Volatile.Read(ref slot);
            // Serial-number order (RFC 1982): sequences start at a random point and may wrap.
            var ahead = (int)(generation - (uint)(current >> 32));
            if (ahead < 0 || (ahead == 0 && nc <= (uint)current))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref slot, next, current) == current)
            {
                return true;
            }
        }
    }

    private uint Generation(long sequence) => (uint)(sequence >> _shift);
}
