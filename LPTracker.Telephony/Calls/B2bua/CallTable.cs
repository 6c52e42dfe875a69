using System.Collections.Concurrent;

namespace LPTracker.Telephony.Calls.B2bua;

/// <summary>
/// The live calls and an index from dialog key (Call-ID, local tag, remote tag) to call, so in-dialog requests find
/// theirs. Bounded by <c>Sip:MaxCalls</c>: a flood of INVITEs gets 503 instead of growing memory.
/// </summary>
internal sealed class CallTable(int capacity)
{
    private readonly ConcurrentDictionary<Guid, B2buaCall> _calls = new();
    private readonly ConcurrentDictionary<string, B2buaCall> _dialogs = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Live calls.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Indexed dialogs.</summary>
    public int DialogCount => _dialogs.Count;

    /// <summary>Adds a call unless the table is full.</summary>
    public bool TryAdd(B2buaCall call)
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _calls[call.Id] = call;
        return true;
    }

    /// <summary>Indexes one of a call's dialogs.</summary>
    public void AddDialog(string key, B2buaCall call) => _dialogs[key] = call;

    /// <summary>The call an in-dialog request belongs to, or null.</summary>
    public B2buaCall? FindByDialog(string key) => _dialogs.GetValueOrDefault(key);

    /// <summary>Forgets a call and its dialogs.</summary>
    public void Remove(B2buaCall call)
    {
        foreach (var key in call.DialogKeys())
        {
            _dialogs.TryRemove(new KeyValuePair<string, B2buaCall>(key, call));
        }

        if (_calls.TryRemove(call.Id, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>A snapshot of the live calls (diagnostics, tests).</summary>
    public IReadOnlyCollection<B2buaCall> Snapshot() => _calls.Values.ToList();
}
