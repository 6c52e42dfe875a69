using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// The console as a real operating-system process (<c>dotnet LPTracker.Web.dll</c> from the web project's build output),
/// for what an in-process host cannot show: a node that is killed (SIGKILL, no shutdown code runs). Settings are passed
/// as environment variables; the HTTP port is Kestrel's own (port 0, read from its "Now listening on" line).
/// </summary>
public sealed partial class ConsoleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TempFolder _folder;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sipStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ConsoleProcess(Process process, TempFolder folder)
    {
        _process = process;
        _folder = folder;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>What the process wrote so far (its console log), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the console with <paramref name="settings"/> (configuration keys such as <c>Sip:Listen:0</c>) on
    /// top of a private data folder; returns once Kestrel listens.</summary>
    public static async Task<ConsoleProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var folder = new TempFolder();
        var dll = WebAssembly();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Development is the environment in which a build output (not a publish) serves its static web assets
        // (blazor.web.js, MudBlazor's CSS) — what `dotnet run` does.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["DataFolder"] = folder.Path;
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var console = new ConsoleProcess(process, folder);
        process.Exited += (_, _) =>
        {
            console._listening.TrySetException(new InvalidOperationException("the console process exited"));
            console._sipStarted.TrySetException(new InvalidOperationException("the console process exited"));
        };
        process.Start();
        process.OutputDataReceived += (_, e) => console.Append(e.Data);
        process.ErrorDataReceived += (_, e) => console.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            console.BaseUrl = await console._listening.Task.WaitAsync(StartTimeout);

            // The SIP listeners bind after the registrar's warm-up (up to Sip:WarmUpLimit, decision 0079), after Kestrel.
            if (settings.Keys.Any(k => k.StartsWith("Sip:Listen", StringComparison.Ordinal)))
            {
                await console._sipStarted.Task.WaitAsync(StartTimeout);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await console.DisposeAsync();
            Assert.Fail($"the console process did not listen within {StartTimeout.TotalSeconds} s ({ex.Message}):\n{console.Output}");
        }

        return console;
    }

    /// <summary>SIGKILL: the node dies as on a power cut — no unregistering, no last heartbeat.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(m.Groups[1].Value.TrimEnd('/'));
        }

        if (line.Contains("SIP server started for domain", StringComparison.Ordinal))
        {
            _sipStarted.TrySetResult();
        }
    }

    /// <summary>LPTracker.Web.dll in the web project's build output of the configuration the tests were built in.</summary>
    private static string WebAssembly()
    {
        var testsBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testsBin.Name;
        var configuration = testsBin.Parent!.Name;
        var root = testsBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LPTracker.Blazor.sln")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, "LPTracker.Blazor.sln not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(root!.FullName, "LPTracker.Web", "bin", configuration, framework, "LPTracker.Web.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution in {configuration} first");
        return dll;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
