namespace LPTracker.Tests.Infrastructure;

/// <summary>A folder under /tmp that is removed with the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lpt-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file (SQLite pool) must not fail the test; /tmp is cleaned by the OS.
        }
    }
}
