using System.Diagnostics;
using System.Globalization;

namespace FanOutBench;

/// <summary>
/// The <see cref="Clients"/> child process seen from the bench: started on one or more node URLs, it reports READY once
/// the lists are open, then one line per render batch carrying a chip value (collected in <see cref="Batches"/>), and
/// END after its stdin closes.
/// </summary>
internal sealed class ClientFeed : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClientFeed(IEnumerable<string> urls, int lists, string accountsFile, Action<Process>? track = null)
    {
        var info = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "clients", "--url", string.Join(',', urls), "--lists",
            lists.ToString(CultureInfo.InvariantCulture), "--accounts", accountsFile])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        _process = Process.Start(info)!;
        track?.Invoke(_process);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("the clients process exited before READY"));
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
    }

    /// <summary>(circuit, account, arrival timestamp, O|D) of every batch that carried a chip value after GO.</summary>
    public List<(int Circuit, int Account, long At, char Status)> Batches { get; } = [];

    /// <summary>Waits for READY; returns (open lists, failed, seconds taken).</summary>
    public async Task<(int Open, string Failed, string Seconds)> ReadyAsync(TimeSpan timeout)
    {
        var p = (await _ready.Task.WaitAsync(timeout)).Split(' ');
        return (int.Parse(p[1], CultureInfo.InvariantCulture), p[2], p[3]);
    }

    public async Task GoAsync()
    {
        await _process.StandardInput.WriteLineAsync("GO");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes the clients' stdin (they close their circuits) and returns their END line.</summary>
    public async Task<string> EndAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        var line = await _ended.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return line;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("B ", StringComparison.Ordinal))
        {
            var p = line.Split(' ');
            lock (Batches)
            {
                Batches.Add((int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture),
                    long.Parse(p[3], CultureInfo.InvariantCulture), p[4][0]));
            }
        }
        else if (line.StartsWith("READY", StringComparison.Ordinal))
        {
            _ready.TrySetResult(line);
        }
        else if (line.StartsWith("END", StringComparison.Ordinal))
        {
            _ended.TrySetResult("clients: " + line[4..]);
        }
        else
        {
            Console.WriteLine("clients: " + line);
        }
    }
}
