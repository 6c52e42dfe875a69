using LPTracker.Telephony.Sip.Transactions;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>The server transaction table's open-addressing key index (decision 0076), against a dictionary.</summary>
public sealed class TransactionKeyIndexTests
{
    [Fact]
    public void Adds_lookups_and_removals_agree_with_a_dictionary_through_growth_and_trimming()
    {
        var random = new Random(76);
        var index = new TransactionKeyIndex();
        var model = new Dictionary<UInt128, int>();
        // Keys crowded into few home slots make long probe runs, which removal must keep intact.
        var keys = Enumerable.Range(0, 3000)
            .Select(i => new UInt128((ulong)random.NextInt64(), (ulong)(i % 7 == 0 ? random.Next(64) : random.NextInt64())))
            .ToArray();

        for (var step = 0; step < 60_000; step++)
        {
            var key = keys[random.Next(keys.Length)];
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    Assert.Equal(model.TryAdd(key, step), index.TryAdd(key, step));
                    break;
                case 2:
                    Assert.Equal(model.Remove(key), index.Remove(key));
                    break;
                default:
                    Assert.Equal(model.ContainsKey(key), index.TrySet(key, -step));
                    if (model.ContainsKey(key))
                    {
                        model[key] = -step;
                    }

                    break;
            }

            if (step % 10_000 == 0)
            {
                index.TrimExcess();
            }
        }

        Assert.Equal(model.Count, index.Count);
        foreach (var key in keys)
        {
            Assert.Equal(model.TryGetValue(key, out var expected), index.TryGetValue(key, out var value));
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void Emptied_after_a_burst_it_gives_the_room_back()
    {
        var index = new TransactionKeyIndex();
        for (ulong i = 0; i < 100_000; i++)
        {
            index.TryAdd(new UInt128(i * 0x9E3779B97F4A7C15, i), 1);
        }

        var peak = index.Capacity;
        for (ulong i = 0; i < 99_000; i++)
        {
            Assert.True(index.Remove(new UInt128(i * 0x9E3779B97F4A7C15, i)));
        }

        index.TrimExcess();

        Assert.Equal(1000, index.Count);
        Assert.True(peak >= 131_072 && index.Capacity <= 2048, $"{peak} → {index.Capacity}");
        Assert.True(index.TryGetValue(new UInt128(unchecked(99_500UL * 0x9E3779B97F4A7C15), 99_500), out _));
    }
}
