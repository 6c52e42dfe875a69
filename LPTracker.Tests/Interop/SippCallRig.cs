using System.Diagnostics;
using System.Globalization;
using System.Text;
using LPTracker.Core.Telephony;
using LPTracker.Telephony;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Interop;

/// <summary>
/// The B2BUA on loopback with sipp as the carrier (its fixed port is the configured trunk) and sipp processes as
/// registered phones. Every sipp keeps its message trace so a test can assert on what a phone or the carrier saw.
/// </summary>
internal sealed class SippCallRig : IAsyncDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly List<(Process Process, StringBuilder Output, string Name)> _phones = [];
    private readonly string _dir = ExternalTool.TempDirectory("sipp-calls");

    private SippCallRig(LoopbackServer server, int carrierPort, InMemoryCallDirectory directory, RecordingCallEvents events)
    {
        Server = server;
        CarrierPort = carrierPort;
        Directory = directory;
        Events = events;
    }

    public LoopbackServer Server { get; }

    public int CarrierPort { get; }

    public InMemoryCallDirectory Directory { get; }

    public RecordingCallEvents Events { get; }

    public static async Task<SippCallRig> StartAsync(InMemoryCallDirectory directory, Action<SipOptions>? configure = null)
    {
        var carrierPort = ExternalTool.FreePort();
        var events = new RecordingCallEvents();
        var server = await LoopbackServer.StartAsync(o =>
        {
            // No qualify pings: a sipp UAS would take an OPTIONS for an unexpected call.
            o.QualifyInterval = TimeSpan.FromHours(1);
            o.Trunks = [new SipTrunkOptions { Name = "carrier", Address = $"127.0.0.1:{carrierPort}", Transport = "udp" }];
            configure?.Invoke(o);
        }, calls: directory, events: events);
        return new SippCallRig(server, carrierPort, directory, events);
    }

    /// <summary>Registers <paramref name="user"/> with sipp from a fresh port, then leaves a sipp UAS running
    /// <paramref name="scenario"/> on that port.</summary>
    public async Task<string> StartPhoneAsync(string user, string scenario, string password = "secret")
    {
        Server.AddUser(user, password);
        var port = ExternalTool.FreePort();
        var csv = Path.Combine(_dir, $"{user}.csv");
        await File.WriteAllTextAsync(csv, $"SEQUENTIAL\n{user};[authentication username={user} password={password}];\n");
        var (code, output) = await ExternalTool.RunAsync(Sipp, Common("register.xml", port, $"{user}-register")
            .Concat([$"127.0.0.1:{Server.Udp.Port}", "-inf", csv, "-m", "1"]), ToolTimeout, _dir);
        Assert.True(code == 0, $"{user} did not register ({code}):\n{output}\n{Trace($"{user}-register")}");
        await Server.WaitForPresenceAsync(user, online: true, TimeSpan.FromSeconds(10));

        var process = ExternalTool.Start(Sipp, Common(scenario, port, user).Concat(["-m", "1"]), _dir, redirectInput: false, out var log);
        _phones.Add((process, log, user));
        await ExternalTool.WaitForListenerAsync(process, log, port);
        return user;
    }

    /// <summary>Leaves a sipp UAS on the carrier's port (the trunk answering our calls out), over UDP or, with
    /// <paramref name="tcp"/>, listening on TCP (<c>-t t1</c>).</summary>
    public async Task StartCarrierUasAsync(string scenario, bool tcp = false)
    {
        var process = ExternalTool.Start(Sipp, Common(scenario, CarrierPort, "carrier", tcp ? "t1" : "u1").Concat(["-m", "1"]), _dir,
            redirectInput: false, out var log);
        _phones.Add((process, log, "carrier"));
        await ExternalTool.WaitForListenerAsync(process, log, CarrierPort, tcp);
    }

    /// <summary>Runs the carrier's UAC scenario (dialled number, client number) to its end.</summary>
    public async Task<(int ExitCode, string Output)> RunCarrierAsync(string scenario, string dialled, string client)
    {
        var csv = Path.Combine(_dir, "carrier.csv");
        await File.WriteAllTextAsync(csv, $"SEQUENTIAL\n{dialled};{client};\n");
        // -d: how long a scenario's bare <pause/> lasts (carrier-cancel.xml lets the phones ring that long).
        var (code, output) = await ExternalTool.RunAsync(Sipp, Common(scenario, CarrierPort, "carrier")
            .Concat([$"127.0.0.1:{Server.Udp.Port}", "-inf", csv, "-m", "1", "-d", "500"]), ToolTimeout, _dir);
        return (code, output + "\n--- carrier trace ---\n" + Trace("carrier"));
    }

    /// <summary>Waits for a phone's sipp to finish its one call; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> WaitForPhoneAsync(string user)
    {
        var (process, output, _) = _phones.Single(p => p.Name == user);
        using var cts = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{user}'s sipp did not finish\n{output}\n{Trace(user)}");
        }

        return (process.ExitCode, $"{output}\n--- {user} trace ---\n{Trace(user)}");
    }

    /// <summary>Every message a sipp instance sent and received.</summary>
    public string Trace(string name)
    {
        var file = Path.Combine(_dir, $"{name}.msg");
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    /// <summary>The first INVITE a sipp instance saw, as its trace shows it.</summary>
    public string InviteSeenBy(string name)
    {
        var trace = Trace(name);
        var start = trace.IndexOf("INVITE sip:", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{name} saw no INVITE:\n{trace}");
        var end = trace.IndexOf("-----", start, StringComparison.Ordinal);
        return trace[start..(end < 0 ? trace.Length : end)];
    }

    private static string Sipp => ExternalTool.Require("sipp", "sip-tester");

    private IEnumerable<string> Common(string scenario, int port, string name, string transport = "u1") =>
    [
        "-sf", TestFiles.Path("Interop", "sipp", scenario), "-t", transport, "-i", "127.0.0.1",
        "-p", port.ToString(CultureInfo.InvariantCulture), "-timeout", "40s", "-timeout_error", "-recv_timeout", "20000", "-nostdin",
        "-trace_msg", "-message_file", Path.Combine(_dir, $"{name}.msg"), "-trace_err", "-error_file", Path.Combine(_dir, $"{name}.err"),
    ];

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _, _) in _phones)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
