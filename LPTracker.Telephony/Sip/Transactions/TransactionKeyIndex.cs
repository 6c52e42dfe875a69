using System.Numerics;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>
/// The server transaction table's index from a 128-bit key to an int, for one stripe (callers lock): open addressing
/// with linear probing over three parallel arrays, 20 bytes a slot at most 3/4 full. A
/// <see cref="Dictionary{TKey,TValue}"/> of <see cref="UInt128"/> takes 48 bytes an entry (the key is 16-byte aligned)
/// plus its buckets and growth slack: at 10,000 registrations/s (~330,000 keys for Timer J) that was ~35 MB of large
/// object heap against ~13 MB here (decision 0076). The keys are already uniform hashes, so the low bits place them.
/// </summary>
internal sealed class TransactionKeyIndex
{
    private const int Empty = int.MinValue;
    private const int MinCapacity = 16;
    private ulong[] _low = [];
    private ulong[] _high = [];
    private int[] _values = [];
    private int _mask = -1;

    public TransactionKeyIndex() => Resize(MinCapacity);

    public int Count { get; private set; }

    public int Capacity => _values.Length;

    public bool TryGetValue(UInt128 key, out int value)
    {
        var slot = Find(key);
        value = slot >= 0 ? _values[slot] : 0;
        return slot >= 0;
    }

    /// <summary>Adds <paramref name="key"/>; false (nothing changed) when it is here already. <paramref name="value"/> must not be <see cref="int.MinValue"/>.</summary>
    public bool TryAdd(UInt128 key, int value)
    {
        if (Find(key) >= 0)
        {
            return false;
        }

        if ((Count + 1) * 4 > _values.Length * 3)
        {
            Resize(_values.Length * 2);
        }

        Insert((ulong)key, (ulong)(key >> 64), value);
        Count++;
        return true;
    }

    /// <summary>Replaces the value of a key that is here; false when it is not.</summary>
    public bool TrySet(UInt128 key, int value)
    {
        var slot = Find(key);
        if (slot >= 0)
        {
            _values[slot] = value;
        }

        return slot >= 0;
    }

    public bool Remove(UInt128 key)
    {
        var slot = Find(key);
        if (slot < 0)
        {
            return false;
        }

        // Backward-shift deletion: move later entries of the probe run into the hole, so lookups need no tombstones.
        var hole = slot;
        var next = slot;
        while (true)
        {
            next = (next + 1) & _mask;
            if (_values[next] == Empty)
            {
                break;
            }

            var home = (int)_low[next] & _mask;
            if (((next - home) & _mask) >= ((next - hole) & _mask))
            {
                _low[hole] = _low[next];
                _high[hole] = _high[next];
                _values[hole] = _values[next];
                hole = next;
            }
        }

        _values[hole] = Empty;
        Count--;
        return true;
    }

    /// <summary>After a burst, gives back the arrays' peak size: keeps room for twice the keys there are now.</summary>
    public void TrimExcess()
    {
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinCapacity, Count * 2));
        if (capacity < _values.Length)
        {
            Resize(capacity);
        }
    }

    private int Find(UInt128 key)
    {
        var low = (ulong)key;
        var high = (ulong)(key >> 64);
        var slot = (int)low & _mask;
        while (_values[slot] != Empty)
        {
            if (_low[slot] == low && _high[slot] == high)
            {
                return slot;
            }

            slot = (slot + 1) & _mask;
        }

        return -1;
    }

    private void Insert(ulong low, ulong high, int value)
    {
        var slot = (int)low & _mask;
        while (_values[slot] != Empty)
        {
            slot = (slot + 1) & _mask;
        }

        _low[slot] = low;
        _high[slot] = high;
        _values[slot] = value;
    }

    private void Resize(int capacity)
    {
        var (low, high, values) = (_low, _high, _values);
        _low = new ulong[capacity];
        _high = new ulong[capacity];
        _values = new int[capacity];
        Array.Fill(_values, Empty);
        _mask = capacity - 1;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != Empty)
            {
                Insert(low[i], high[i], values[i]);
            }
        }
    }
}
