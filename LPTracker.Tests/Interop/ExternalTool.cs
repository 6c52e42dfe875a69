using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LPTracker.Tests.Interop;

/// <summary>Finds and runs the real SIP tools. A missing tool fails the test with a clear message (test.sh installs them).</summary>
internal static class ExternalTool
{
    public static string Require(string name, string package)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{name}' was not found on PATH; install Debian package '{package}' (test.sh does) to run the interop tests.");
        return name;
    }

    /// <summary>A UDP+TCP port that was free a moment ago (clients need fixed ports in their configs).</summary>
    public static int FreePort() => Infrastructure.FreePorts.Next();

    public static string TempDirectory(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a process to completion (killed at the timeout) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        using var process = Start(file, args, workingDirectory, redirectInput: false, out var output);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, output + $"\n[killed after {timeout.TotalSeconds} s]");
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    /// <summary>
    /// Waits until something listens on loopback <paramref name="port"/> (UDP, or a listening TCP socket with
    /// <paramref name="tcp"/>): a tool started a moment ago is not listening yet on a loaded machine, and a request sent
    /// to it then is lost. Read from /proc/net, never by probing with a bind (which could take the port from the tool).
    /// </summary>
    public static async Task WaitForListenerAsync(Process process, StringBuilder output, int port, bool tcp = false)
    {
        var local = string.Create(CultureInfo.InvariantCulture, $"0100007F:{port:X4}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.ReadLines(tcp ? "/proc/net/tcp" : "/proc/net/udp").Skip(1)
                   .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                   .Any(f => f[1] == local && (!tcp || f[3] == "0A")))
        {
            Assert.False(process.HasExited, $"{process.StartInfo.FileName} exited before listening on {port}:\n{output}");
            Assert.True(DateTime.UtcNow < deadline, $"{process.StartInfo.FileName} did not listen on {port} within 60 s:\n{output}");
            await Task.Delay(20);
        }
    }

    /// <summary>Starts a long-running process; output is collected into <paramref name="output"/>.</summary>
    public static Process Start(string file, IEnumerable<string> args, string? workingDirectory, bool redirectInput, out StringBuilder output,
        IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            info.Environment[pair.Key] = pair.Value;
        }

        var sb = new StringBuilder();
        output = sb;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (sb) { sb.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (sb) { sb.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
