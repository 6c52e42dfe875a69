using System.Net;
using System.Net.Sockets;
using System.Text;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Sip.Transport;

/// <summary>A REGISTER flood with bad credentials over real UDP sockets.</summary>
public sealed class RegisterFloodTests
{
    private const int MaxFailures = 10;
    private const int FloodSize = 5_000;
    // Patience for the first challenge, not a latency: CI's 2 cores run the whole suite alongside.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bad_auth_flood_bans_its_source_while_another_source_registers()
    {
        await using var server = await LoopbackServer.StartAsync(o => o.Ban = new()
        {
            MaxFailures = MaxFailures, Window = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10),
        });
        server.AddUser("alice", "s3cret");
        server.AddUser("bob", "b0b");
        using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        flooder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var challenge = await FirstChallengeAsync(flooder, server);

        var flood = Task.Run(() => Flood(flooder, server, challenge));
        var answered = CountAnswersAsync(flooder, () => flood.IsCompleted && server.Server.Bans.IsBanned(IPAddress.Loopback));
        using var other = new UdpTestClient(server.Udp, IPAddress.Parse("127.0.0.2"));
        var otherResponse = await other.RegisterAsync("bob", "b0b", server.Options.Domain);
        await flood;
        var answers = await answered;

        Assert.Equal(200, otherResponse.StatusCode);
        Assert.True(server.Server.Bans.IsBanned(IPAddress.Loopback));
        Assert.False(server.Server.Bans.IsBanned(IPAddress.Parse("127.0.0.2")));
        // Requests already being processed when the ban starts may still be answered, at most one per receive thread
        // (the in-memory directory never makes processing wait on I/O).
        Assert.InRange(answers, MaxFailures, MaxFailures + server.Options.UdpConcurrency);
        Assert.Equal(["bob"], server.Server.Locations.GetAll().Select(b => b.UserName));
    }

    private static void Flood(Socket flooder, LoopbackServer server, string challenge)
    {
        var sentBy = flooder.LocalEndPoint!.ToString()!;
        for (var i = 0; i < FloodSize; i++)
        {
            var auth = DigestTestClient.Authorization(challenge, "alice", "guess" + i, "REGISTER", $"sip:{server.Options.Domain}");
            var request = SipRequests.Register("alice", server.Options.Domain, $"<sip:alice@{sentBy}>", cseq: (uint)i + 2,
                callId: "flood-" + i, authorization: auth, viaSentBy: sentBy);
            flooder.SendTo(Encoding.UTF8.GetBytes(request), server.Udp);
        }
    }

    private static async Task<string> FirstChallengeAsync(Socket socket, LoopbackServer server)
    {
        var sentBy = socket.LocalEndPoint!.ToString()!;
        await socket.SendToAsync(Encoding.UTF8.GetBytes(SipRequests.Register("alice", server.Options.Domain, $"<sip:alice@{sentBy}>",
            viaSentBy: sentBy)), server.Udp);
        var buffer = new byte[65_536];
        using var cts = new CancellationTokenSource(Timeout);
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        Assert.True(SipMessageParser.TryParse(buffer.AsMemory(0, received), false, out var message));
        return ((SipResponse)message!).GetHeader(SipHeaderNames.WwwAuthenticate)!;
    }

    /// <summary>
    /// Counts responses until none arrives for two seconds once <paramref name="over"/> (the flood sent and its source
    /// banned): a quiet second before then is a loaded machine (the flood's task not started yet, the server's receive
    /// threads waiting for a core), not the ban's silence.
    /// </summary>
    private static async Task<int> CountAnswersAsync(Socket socket, Func<bool> over)
    {
        var buffer = new byte[65_536];
        var count = 0;
        var giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < giveUp)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                count++;
            }
            catch (OperationCanceledException) when (over())
            {
                return count;
            }
            catch (OperationCanceledException)
            {
            }
        }

        return count;
    }
}
