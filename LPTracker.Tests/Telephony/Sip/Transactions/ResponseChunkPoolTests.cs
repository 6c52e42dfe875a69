using LPTracker.Telephony.Sip.Transactions;

namespace LPTracker.Tests.Telephony.Sip.Transactions;

/// <summary>The completed transactions' chunk pool (decisions 0066, 0096): a steady registrar reuses its chunks, so none
/// is made anew to reach gen 2 and die there, and a burst's chunks do not all stay.</summary>
public sealed class ResponseChunkPoolTests
{
    [Fact]
    public void Chunks_returned_by_a_late_sweep_are_all_reused_by_the_next_generations()
    {
        var pool = new ResponseChunkPool();
        var inUse = Enumerable.Range(0, 1280).Select(_ => pool.Rent()).ToList();
        // Five ticks' worth of a Timer J of 64 ticks, returned at once, as a sweep that ran late returns them.
        var returned = inUse[..100];

        pool.Return(returned);
        var rented = Enumerable.Range(0, 100).Select(_ => pool.Rent()).ToList();

        Assert.Equal(returned.ToHashSet(ReferenceEqualityComparer.Instance), rented.ToHashSet(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void After_a_burst_the_pool_keeps_only_a_fraction_of_its_chunks()
    {
        var pool = new ResponseChunkPool();
        var burst = Enumerable.Range(0, 4096).Select(_ => pool.Rent()).ToList();

        pool.Return(burst);

        Assert.Equal(0, pool.InUse);
        Assert.InRange(pool.Free, 64, 4096 / 8);
    }
}
