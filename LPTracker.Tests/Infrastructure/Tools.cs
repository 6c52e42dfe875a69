namespace LPTracker.Tests.Infrastructure;

/// <summary>External programs the tests drive. A missing one fails the test with what to install — never a skip.</summary>
public static class Tools
{
    /// <summary>Returns the full path of <paramref name="program"/>, or fails naming the Debian package.</summary>
    public static string Require(string program, string debianPackage)
    {
        var path = Path.IsPathRooted(program)
            ? program
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            Assert.Fail($"'{program}' is not installed. Install the Debian package '{debianPackage}' (./test.sh does it).");
        }

        return path!;
    }
}
