using System.Runtime.InteropServices;

namespace LPTracker.Telephony.Hosting;

/// <summary>
/// Gives the C heap's free pages back to the system (glibc's <c>malloc_trim</c>). Start-up leaves megabytes freed but
/// still resident in glibc's per-thread arenas — the JIT's working memory for the ~20,000 methods the start-up and the
/// registrar's warm-up compile, the runtime's and SQLite's start-up buffers — and glibc returns free memory only from
/// the top of its main heap by itself, so those pages stayed in the resident set for good (6-7 MB of LPTracker.Web's
/// start-up RSS; issue 11 counts resident memory; bench/README.md, "Start-up memory, session 10").
/// </summary>
internal static class NativeHeap
{
    /// <summary>Returns the free pages of every arena to the system; true when glibc released any. A no-op (false)
    /// elsewhere: Windows and macOS give freed memory back by themselves, and musl has no <c>malloc_trim</c>.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // 0: keep no padding at the top of the main heap; the call also releases whole free pages inside every arena.
            return MallocTrim(0) != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
