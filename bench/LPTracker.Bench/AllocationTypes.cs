using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace LPTracker.Bench;

/// <summary>Samples the runtime's allocation ticks (one per ~100 KB allocated, naming the type that crossed the
/// threshold): bytes by type, in proportion.</summary>
internal sealed class AllocationTypes : EventListener
{
    private readonly ConcurrentDictionary<string, int> _ticks = new();
    public volatile bool On;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!On || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null)
        {
            return;
        }

        var i = e.PayloadNames.IndexOf("TypeName");
        _ticks.AddOrUpdate(i >= 0 ? e.Payload![i] as string ?? "?" : "?", 1, (_, n) => n + 1);
    }

    public void Print()
    {
        var total = _ticks.Values.Sum();
        foreach (var (type, n) in _ticks.OrderByDescending(p => p.Value).Take(30))
        {
            Console.WriteLine($"{100.0 * n / total,5:0.0} %  {type}");
        }
    }
}
