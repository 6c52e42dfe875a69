using System.Globalization;
using System.Net;
using LPTracker.Telephony.Registrar;
using Microsoft.Extensions.Logging.Abstractions;

namespace LPTracker.Bench;

/// <summary>Measures managed memory held by 10,000 bindings (one per user) in the in-memory location store.</summary>
internal static class BindingMemory
{
    public static async Task<int> RunAsync()
    {
        const int count = 10_000;
        using var store = new InMemoryLocationStore(new NullBindingPersistence(), TimeProvider.System, NullLogger<InMemoryLocationStore>.Instance);
        var before = Measure();
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= count; i++)
        {
            var user = RegistrarHost.UserName(i);
            var binding = new SipBinding
            {
                UserName = user,
                ContactUri = $"sip:{user}@192.0.2.{i % 250}:{5000 + i};transport=UDP",
                CallId = $"{i}-27414@192.0.2.{i % 250}",
                CSeq = 2,
                RegisteredAt = now,
                UpdatedAt = now,
                ExpiresAt = now.AddHours(1),
                UserAgent = "Yealink SIP-T46S 66.86.0.15",
                RemoteEndPoint = new IPEndPoint(IPAddress.Parse($"192.0.2.{i % 250}"), 5000 + i),
                LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 5060),
            };
            await store.UpdateAsync(user, (_, _) => new BindingUpdate<bool>([binding], true), CancellationToken.None);
        }

        var after = Measure();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bindings={store.Count} managed bytes={after - before:N0} per binding={(after - before) / count:N0}"));
        GC.KeepAlive(store);
        return 0;
    }

    private static long Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
