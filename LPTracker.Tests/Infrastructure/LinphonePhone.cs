using System.Diagnostics;
using System.Globalization;
using System.Text;
using LPTracker.Tests.Interop;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// A linphonec (linphone-cli 5.1) process with a private HOME and config; it quits (and unregisters) when told to or
/// when its standard input closes. Either configured with an account directly, or given only a remote-provisioning
/// URI (<c>[misc] config-uri</c>), which it fetches at start-up and applies before registering.
/// </summary>
public sealed class LinphonePhone : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private LinphonePhone(Process process, StringBuilder output, string dir)
    {
        _process = process;
        _output = output;
        Directory = dir;
    }

    /// <summary>Its HOME, where its linphonerc lives.</summary>
    public string Directory { get; }

    /// <summary>Its configuration file, as linphonec last wrote it.</summary>
    public string ConfigFile => Path.Combine(Directory, "linphonerc");

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

    /// <summary>Registers <paramref name="user"/> with <paramref name="registrar"/> over <paramref name="transport"/>
    /// (udp/tcp/tls); for TLS <paramref name="caFile"/> (PEM) is the root CA it trusts.</summary>
    public static LinphonePhone StartWithAccount(System.Net.IPEndPoint registrar, string user, string password, string transport,
        string? caFile = null) =>
        Start(transport, $"""
            [proxy_0]
            reg_proxy=<sip:{registrar.Address}:{registrar.Port};transport={transport}>
            reg_identity=sip:{user}@{registrar.Address}
            reg_expires=600
            reg_sendregister=1
            publish=0

            [auth_info_0]
            username={user}
            passwd={password}
            realm={registrar.Address}
            domain={registrar.Address}
            """, caFile);

    /// <summary>For TLS: trust our certificate as the root CA. The name check is off because linphone 5.1's mbedTLS does
    /// not match an IP-address subject alternative name (the chain is still verified).</summary>
    private static string TrustLine(string? caFile) => caFile is null ? "" : $"root_ca={caFile}\nverify_server_cn=0";

    /// <summary>Starts with no account, only the remote-provisioning URI a QR code would give it.</summary>
    public static LinphonePhone StartWithProvisioning(string configUri) =>
        Start("udp", $"""
            [misc]
            config-uri={configUri}
            """);

    public async Task QuitAsync()
    {
        await _process.StandardInput.WriteLineAsync("quit");
        await _process.StandardInput.FlushAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
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
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static LinphonePhone Start(string transport, string sections, string? caFile = null)
    {
        var executable = ExternalTool.Require("linphonec", "linphone-cli");
        var dir = ExternalTool.TempDirectory("linphone");
        var port = ExternalTool.FreePort().ToString(CultureInfo.InvariantCulture);

        // Without its database directory linphonec never brings its core up (no listening points).
        System.IO.Directory.CreateDirectory(Path.Combine(dir, ".local", "share", "linphone"));
        var config = Path.Combine(dir, "linphonerc");
        File.WriteAllText(config, $"""
            [sip]
            sip_port={(transport == "udp" ? port : "0")}
            sip_tcp_port={(transport == "tcp" ? port : "0")}
            sip_tls_port={(transport == "tls" ? port : "0")}
            {TrustLine(caFile)}
            default_proxy=0
            register_only_when_network_is_up=0

            [sound]
            playback_dev_id=
            capture_dev_id=

            [video]
            enabled=0
            capture=0
            display=0

            {sections}

            """);
        var process = ExternalTool.Start(executable, ["-c", config], dir, redirectInput: true, out var output,
            new Dictionary<string, string> { ["HOME"] = dir });
        return new LinphonePhone(process, output, dir);
    }
}
