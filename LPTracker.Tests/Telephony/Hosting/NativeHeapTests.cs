using System.Runtime.InteropServices;
using LPTracker.Telephony.Hosting;

namespace LPTracker.Tests.Telephony.Hosting;

public sealed class NativeHeapTests
{
    private const int Block = 64 * 1024;   // under glibc's mmap threshold: served from an arena, as the JIT's memory is
    private const int Blocks = 256;        // 16 MB

    [Fact]
    public void Trimming_gives_freed_native_memory_back_to_the_system()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;   // malloc_trim is glibc's; elsewhere Trim is a no-op
        }

        var ones = new byte[Block];
        Array.Fill(ones, (byte)1);
        var blocks = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Block);
            Marshal.Copy(ones, 0, blocks[i], Block);   // resident, as used memory is
        }

        // Free all but the last: the arena's top stays in use, so glibc cannot shrink the heap by itself and the 16 MB
        // stay resident though free, as the start-up's freed memory did.
        for (var i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        var before = ResidentAnonymousKiB();

        var released = NativeHeap.Trim();

        var after = ResidentAnonymousKiB();
        Marshal.FreeHGlobal(blocks[^1]);
        Assert.True(released);
        // A quarter of the freed 16 MB: other tests running beside this one may grow the process meanwhile.
        Assert.True(before - after >= 4 * 1024, $"RssAnon {before} KiB before the trim, {after} KiB after");
    }

    private static long ResidentAnonymousKiB() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
