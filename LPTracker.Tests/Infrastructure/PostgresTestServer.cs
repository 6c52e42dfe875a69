using System.Diagnostics;
using Npgsql;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for this test run: <c>initdb</c> + <c>pg_ctl</c> in a temp folder on a free loopback
/// port (as the <c>postgres</c> user through <c>runuser</c> when the tests run as root), never a system instance.
/// One server is shared by every PostgreSQL test of the run (<see cref="SharedAsync"/>); each test takes its own
/// database (<see cref="CreateDatabaseAsync"/>), so tests stay independent and parallel.
/// </summary>
public sealed class PostgresTestServer
{
    private static readonly Lazy<Task<PostgresTestServer>> Shared = new(StartAsync);

    private readonly string _bin;
    private readonly string _dataDir;
    private readonly TempFolder _folder;

    private PostgresTestServer(string bin, TempFolder folder, int port)
    {
        _bin = bin;
        _folder = folder;
        _dataDir = Path.Combine(folder.Path, "data");
        Port = port;
    }

    public int Port { get; }

    /// <summary>The connection string of the server's maintenance database (superuser, trust auth on loopback).</summary>
    public string AdminConnectionString => Connection("postgres");

    /// <summary>The run's server, started on first use and stopped when the test process exits.</summary>
    public static Task<PostgresTestServer> SharedAsync() => Shared.Value;

    /// <summary>Creates an empty database of its own for one test; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return Connection(name);
    }

    private string Connection(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20;Timeout=30;Command Timeout=60";

    private static async Task<PostgresTestServer> StartAsync()
    {
        var bin = FindBinaries();
        var asRoot = Environment.UserName == "root";
        for (var attempt = 1; ; attempt++)
        {
            var folder = new TempFolder();
            var server = new PostgresTestServer(bin, folder, SmtpTestServer.FreePort());
            try
            {
                await server.InitAndStartAsync(asRoot);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Most likely another process took the free port between probe and bind: try another one.
                server.Stop(asRoot);
            }
        }
    }

    private async Task InitAndStartAsync(bool asRoot)
    {
        Directory.CreateDirectory(_dataDir);
        if (asRoot)
        {
            // initdb refuses to run as root; the data folder must belong to the user that runs the server.
            await RunAsync("chown", ["-R", "postgres:postgres", _folder.Path], asUser: false);
        }

        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", _dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);
        var options = $"-p {Port} -h 127.0.0.1 -k {_folder.Path} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", _dataDir, "-l", Path.Combine(_folder.Path, "server.log"), "-o", options, "-w", "-t", "60", "start"], asRoot);
    }

    private void Stop(bool asRoot)
    {
        try
        {
            RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "-w", "stop"], asRoot).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Not running (start failed): nothing to stop.
        }

        _folder.Dispose();
    }

    private static async Task RunAsync(string program, string[] args, bool asUser)
    {
        var info = new ProcessStartInfo(asUser ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asUser)
        {
            foreach (var a in (string[])["-u", "postgres", "--", program])
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    /// <summary>The newest installed server's binaries (Debian keeps them under /usr/lib/postgresql/N/bin).</summary>
    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (bin is null)
        {
            Assert.Fail("PostgreSQL is not installed. Install the Debian package 'postgresql' (./test.sh does it).");
        }

        return bin!;
    }
}
