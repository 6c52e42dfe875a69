using System.Diagnostics;
using System.Net.Sockets;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port with its own temp folder and no persistence; one per test
/// (class) — it starts in milliseconds. Disposing kills the process and removes the folder.
/// </summary>
public sealed class RedisTestServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;

    private RedisTestServer(Process process, TempFolder folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string (<c>Redis:Configuration</c>) of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public static async Task<RedisTestServer> StartAsync()
    {
        var program = Tools.Require("redis-server", "redis-server");
        for (var attempt = 1; ; attempt++)
        {
            var folder = new TempFolder();
            var port = SmtpTestServer.FreePort();
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", folder.Path,
                         "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"])
            {
                info.ArgumentList.Add(a);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new RedisTestServer(process, folder, port);
            if (await server.AcceptsAsync())
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException("redis-server did not accept connections (port taken three times?)");
            }
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        for (var i = 0; i < 200 && !_process.HasExited; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        return false;
    }

    /// <summary>Stops the server without closing its connections (SIGSTOP): a Redis that no longer answers.</summary>
    public void Freeze()
    {
        using var kill = Process.Start("kill", ["-STOP", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }
}
