using System.Net;
using System.Net.Sockets;
using System.Text;
using LPTracker.Telephony;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>A real <see cref="SipServer"/> on loopback port 0 with an in-memory directory.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(SipServer server, InMemorySipUserDirectory directory, SipOptions options)
    {
        Server = server;
        Directory = directory;
        Options = options;
    }

    public SipServer Server { get; }

    public InMemorySipUserDirectory Directory { get; }

    public SipOptions Options { get; }

    public IPEndPoint Udp => Server.GetEndPoint(SipTransportKind.Udp);

    public IPEndPoint Tcp => Server.GetEndPoint(SipTransportKind.Tcp);

    public static async Task<LoopbackServer> StartAsync(Action<SipOptions>? configure = null, string address = "127.0.0.1",
        LPTracker.Telephony.Calls.ICallDirectory? calls = null, LPTracker.Core.Calls.ICallEvents? events = null)
    {
        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
        var options = new SipOptions
        {
            Domain = address,
            Listen = [$"udp:{host}:0", $"tcp:{host}:0"],
            QualifyInterval = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        var directory = new InMemorySipUserDirectory();
        var server = new SipServer(options, directory, callDirectory: calls, callEvents: events);
        await server.StartAsync(CancellationToken.None);
        return new LoopbackServer(server, directory, options);
    }

    public void AddUser(string user, string password = "secret", long employeeId = 1, int accountId = 1) =>
        Directory.AddUser(user, password, Options.EffectiveRealm, employeeId, accountId);

    /// <summary>Waits for a presence state, failing after <paramref name="timeout"/>.</summary>
    public async Task<SipPresence> WaitForPresenceAsync(string user, bool online, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Server.Presence.GetPresence(user) is { } p && p.Online == online)
            {
                return p;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{user} did not become {(online ? "Online" : "Disconnected")} within {timeout.TotalSeconds} s");
            }

            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>A minimal UDP SIP client.</summary>
internal sealed class UdpTestClient : IDisposable
{
    private readonly UdpClient _client;
    private readonly IPEndPoint _server;

    /// <summary>Binds to <paramref name="local"/> (another loopback address is another source), else the server's address.</summary>
    public UdpTestClient(IPEndPoint server, IPAddress? local = null)
    {
        _server = server;
        _client = new UdpClient(new IPEndPoint(local ?? server.Address, 0));
    }

    public IPEndPoint Local => (IPEndPoint)_client.Client.LocalEndPoint!;

    public string ViaSentBy => Local.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Local.Address}]:{Local.Port}" : Local.ToString();

    public Task SendAsync(string text) => _client.SendAsync(Encoding.UTF8.GetBytes(text), _server).AsTask();

    public Task SendAsync(byte[] data) => _client.SendAsync(data, _server).AsTask();

    public async Task<SipResponse?> ReceiveAsync(TimeSpan timeout) =>
        await ReceiveBytesAsync(timeout) is { } datagram && SipMessageParser.TryParse(datagram, false, out var m) ? m as SipResponse : null;

    /// <summary>The next datagram as received (for byte-for-byte comparisons), or null after <paramref name="timeout"/>.</summary>
    public async Task<byte[]?> ReceiveBytesAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return (await _client.ReceiveAsync(cts.Token)).Buffer;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<SipResponse> RegisterAsync(string user, string password, string domain, string expires = "600", uint cseq = 1)
    {
        var contact = $"<sip:{user}@{ViaSentBy}>";
        var challenge = await SendUntilAnsweredAsync(SipRequests.Register(user, domain, contact, cseq, expires: expires, viaSentBy: ViaSentBy), cseq)
                        ?? throw new TimeoutException("no challenge");
        var auth = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.WwwAuthenticate)!, user, password, "REGISTER", $"sip:{domain}");
        return await SendUntilAnsweredAsync(
                   SipRequests.Register(user, domain, contact, cseq + 1, expires: expires, authorization: auth, viaSentBy: ViaSentBy), cseq + 1)
               ?? throw new TimeoutException("no final response");
    }

    /// <summary>
    /// Sends <paramref name="request"/> and retransmits it as a phone does (<see cref="ClientRetransmission"/>) until the
    /// response with this CSeq arrives, or null at Timer F. A late answer to an earlier attempt (another CSeq) is skipped
    /// instead of being read as this one's.
    /// </summary>
    private async Task<SipResponse?> SendUntilAnsweredAsync(string request, uint cseq)
    {
        var bytes = Encoding.UTF8.GetBytes(request);
        using var giveUp = new CancellationTokenSource(ClientRetransmission.TimerF);
        try
        {
            return await ClientRetransmission.SendUntilAnsweredAsync(
                async ct => await _client.SendAsync(bytes, _server, ct),
                async ct =>
                {
                    while (true)
                    {
                        var datagram = (await _client.ReceiveAsync(ct)).Buffer;
                        if (SipMessageParser.TryParse(datagram, false, out var m) && m is SipResponse response && response.ParseCSeq()?.Number == cseq)
                        {
                            return response;
                        }
                    }
                },
                giveUp.Token);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
