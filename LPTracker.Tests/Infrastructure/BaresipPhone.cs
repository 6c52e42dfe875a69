using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace LPTracker.Tests.Infrastructure;

/// <summary>Debian's baresip as a real SIP phone registering to a registrar on loopback (no audio).</summary>
public sealed class BaresipPhone : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dir;

    private BaresipPhone(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    public bool HasExited => _process.HasExited;

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

    /// <summary>Starts baresip registering <paramref name="user"/> at <paramref name="registrar"/> over UDP, TCP or TLS;
    /// <paramref name="commands"/> (menu commands such as <c>/dial +7...</c>) run once it has started;
    /// <paramref name="caFile"/> (PEM) is the CA it trusts for TLS (our self-signed certificate); a
    /// <paramref name="ringable"/> phone takes G.711 calls and lets them ring (its menu prints "Incoming call").</summary>
    public static BaresipPhone Start(IPEndPoint registrar, string user, string password, string transport = "udp",
        IReadOnlyList<string>? commands = null, string? caFile = null, bool ringable = false)
    {
        var executable = Tools.Require("baresip", "baresip");
        var dir = Path.Combine(Path.GetTempPath(), "lpt-baresip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{FreePorts.Next()}",
            "module_path /usr/lib/baresip/modules",
            "module account.so",
            caFile is null ? "" : $"sip_cafile {caFile}",
            // Dialling needs the menu's commands and a codec to offer; audio stays off.
            commands is { Count: > 0 } || ringable ? "module menu.so\nmodule g711.so" : "",
            "audio_player none",
            "audio_source none",
            ""));
        File.WriteAllText(Path.Combine(dir, "accounts"),
            $"<sip:{user}@{registrar.Address}:{registrar.Port};transport={transport}>;auth_pass={password};regint=600\n");
        var info = new ProcessStartInfo(executable, ["-f", dir, "-s", .. (commands ?? []).SelectMany(c => new[] { "-e", c })])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["HOME"] = dir;
        var process = Process.Start(info)!;
        var phone = new BaresipPhone(process, dir);
        process.OutputDataReceived += (_, e) => phone.Append(e.Data);
        process.ErrorDataReceived += (_, e) => phone.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return phone;
    }

    /// <summary>SIGTERM: baresip unregisters (Expires: 0) before it exits.</summary>
    public async Task QuitAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(cts.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
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
    }
}
