using System.Diagnostics;

namespace FanOutBench;

/// <summary>REGISTER → chip latencies: each probe transition matched with each open list of its account.</summary>
internal static class Latency
{
    /// <summary>For each probe transition and each open list of its account (circuit i shows account i mod
    /// <paramref name="accounts"/>): the first batch at or after it carrying the new value before the account's next
    /// transition, as milliseconds; null when there was none (missed).</summary>
    public static List<(int Account, char Status, int Circuit, double? Ms)> Match(List<(int Account, long At, char Status)> changes,
        List<(int Circuit, int Account, long At, char Status)> batches, List<int> accountIds, int lists, int accounts)
    {
        var byCircuit = batches.GroupBy(b => b.Circuit).ToDictionary(g => g.Key, g => g.OrderBy(b => b.At).ToList());
        var result = new List<(int, char, int, double?)>();
        foreach (var change in changes)
        {
            var next = changes.Where(c => c.Account == change.Account && c.At > change.At).Select(c => c.At).DefaultIfEmpty(long.MaxValue).Min();
            for (var circuit = accountIds.IndexOf(change.Account); circuit < lists; circuit += accounts)
            {
                var hit = byCircuit.TryGetValue(circuit, out var own)
                    ? own.FirstOrDefault(b => b.At >= change.At && b.At < next && b.Status == change.Status)
                    : default;
                result.Add((change.Account, change.Status, circuit, hit.At == 0 ? null : Stopwatch.GetElapsedTime(change.At, hit.At).TotalMilliseconds));
            }
        }

        return result;
    }

    /// <summary>"p50 … ms, p95 … ms, p99 … ms, max … ms" over the measured (non-missed) matches.</summary>
    public static string Percentiles(IEnumerable<(int Account, char Status, int Circuit, double? Ms)> matches)
    {
        var latencies = matches.Where(m => m.Ms is not null).Select(m => m.Ms!.Value).Order().ToList();
        double P(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * p))];
        return $"p50 {P(0.5):F0} ms, p95 {P(0.95):F0} ms, p99 {P(0.99):F0} ms, max {P(1):F0} ms";
    }
}
