using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace FanOutBench;

/// <summary>
/// One console node as shipped: <c>dotnet LPTracker.Web.dll</c> (Release build output, Production environment) on the
/// shared PostgreSQL and Redis (so the Data Protection key ring is Redis's, as in production), its own data folder,
/// Kestrel and the SIP listener on port 0 (both read back from its log). Reads its RSS and CPU from /proc, and its
/// managed heap after a forced full collection from its own <c>/metrics</c> (token-protected).
/// </summary>
internal sealed partial class Node : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly TaskCompletionSource<string> _http = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _sip = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _token = Guid.NewGuid().ToString("N");
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private Process? _process;

    private Node(string name, string logFile)
    {
        Name = name;
        _log = new StreamWriter(logFile) { AutoFlush = true };
    }

    public string Name { get; }

    public string Url { get; private set; } = "";

    public int SipPort { get; private set; }

    public int Pid => _process!.Id;

    /// <summary>Starts node <paramref name="name"/> and returns once Kestrel and the SIP listener are bound.</summary>
    public static async Task<Node> StartAsync(string name, string webDll, string folder, string connection, string redis, Action<Process> track)
    {
        var data = Path.Combine(folder, name);
        Directory.CreateDirectory(data);
        var node = new Node(name, Path.Combine(folder, name + ".log"));
        var info = new ProcessStartInfo("dotnet", [webDll])
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["DataFolder"] = data,
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Lptracker"] = connection,
            ["Redis:Configuration"] = redis,
            ["Node:Id"] = name,
            ["Metrics:Token"] = node._token,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging:LogLevel:LPTracker.Telephony.Sip.Transport.SipTransportLayer"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            ["SignIn:PermitLimit"] = "100000",
            ["Sip:Listen:0"] = "udp:127.0.0.1:0",
            ["Sip:Domain"] = "127.0.0.1",
            ["Sip:PublicHost"] = "127.0.0.1",

            // sipp's phones do not answer OPTIONS: no qualify pings during the run (as the one-node bench).
            ["Sip:QualifyInterval"] = "01:00:00",
        })
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        node._process = process;
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.Exited += (_, _) =>
        {
            node._http.TrySetException(new InvalidOperationException($"{name} exited (log: {folder}/{name}.log)"));
            node._sip.TrySetException(new InvalidOperationException($"{name} exited"));
        };
        process.Start();
        track(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            node.Url = await node._http.Task.WaitAsync(StartTimeout);
            node.SipPort = await node._sip.Task.WaitAsync(StartTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            string tail;
            lock (node._log)
            {
                tail = string.Join('\n', node._tail);
            }

            throw new InvalidOperationException($"{name} did not listen on HTTP and SIP within {StartTimeout.TotalSeconds} s ({ex.Message}); its last lines:\n{tail}", ex);
        }

        return node;
    }

    /// <summary>Resident set size, bytes.</summary>
    public long Rss() => Program.Rss(Pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>User + system CPU time so far.</summary>
    public TimeSpan Cpu()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>The managed heap after a forced full collection (the runtime's own gauge, summed over generations),
    /// or null when the node did not report a new gen2 collection within 30 s.</summary>
    public async Task<long?> HeapAsync(CancellationToken ct)
    {
        var before = Sum(await MetricsAsync(ct), "dotnet_gc_collections_total", "gen2");
        await RemoteGc.InduceAsync(Pid, ct);
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(500, ct);
            var metrics = await MetricsAsync(ct);
            if (Sum(metrics, "dotnet_gc_collections_total", "gen2") > before)
            {
                return (long)Sum(metrics, "dotnet_gc_last_collection_heap_size_bytes", null);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process?.Dispose();
        await _log.DisposeAsync();
    }

    private async Task<string> MetricsAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>Sums a Prometheus metric's samples (those of one <c>gc_heap_generation</c> when given).</summary>
    private static double Sum(string metrics, string name, string? generation) => metrics.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Where(l => generation is null || l.Contains($"gc_heap_generation=\"{generation}\"", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.IndexOf('}', StringComparison.Ordinal) is var end and >= 0 ? end + 1 : name.Length)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture)); // value, then maybe a timestamp

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > 30)
            {
                _tail.Dequeue();
            }
        }

        if (Listening().Match(line) is { Success: true } http)
        {
            _http.TrySetResult(http.Groups[1].Value.TrimEnd('/'));
        }
        else if (SipListening().Match(line) is { Success: true } sip)
        {
            _sip.TrySetResult(int.Parse(sip.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"SIP listening on udp:127\.0\.0\.1:(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex SipListening();
}
