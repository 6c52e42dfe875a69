using System.Net;
using System.Net.Sockets;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Sip.Transport;

/// <summary>The server over real loopback sockets on port 0.</summary>
public sealed class SocketTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("udp:0.0.0.0:5060", SipTransportKind.Udp, "0.0.0.0", 5060)]
    [InlineData("tcp:[::]:5060", SipTransportKind.Tcp, "::", 5060)]
    [InlineData("UDP:127.0.0.1:0", SipTransportKind.Udp, "127.0.0.1", 0)]
    [InlineData("tcp:[::1]:5070", SipTransportKind.Tcp, "::1", 5070)]
    [InlineData("tls:0.0.0.0:5061", SipTransportKind.Tls, "0.0.0.0", 5061)]
    [InlineData("tls:0.0.0.0", SipTransportKind.Tls, "0.0.0.0", 5061)]
    [InlineData("TLS:[::1]", SipTransportKind.Tls, "::1", 5061)]
    [InlineData("udp:192.0.2.1", SipTransportKind.Udp, "192.0.2.1", 5060)]
    public void Listen_endpoints_parse_from_config_strings(string text, SipTransportKind transport, string address, int port)
    {
        var endpoint = SipListenEndpoint.Parse(text);

        Assert.Equal(new SipListenEndpoint(transport, new IPEndPoint(IPAddress.Parse(address), port)), endpoint);
    }

    [Theory]
    [InlineData("sctp:0.0.0.0:5060")]
    [InlineData("udp:5060")]
    [InlineData("tcp:::1:5060")]
    [InlineData("udp")]
    public void Bad_listen_endpoints_are_configuration_errors(string text)
    {
        Assert.Throws<FormatException>(() => SipListenEndpoint.Parse(text));
    }

    [Fact]
    public async Task Port_zero_binds_are_discoverable()
    {
        await using var server = await LoopbackServer.StartAsync();

        Assert.NotEqual(0, server.Udp.Port);
        Assert.NotEqual(0, server.Tcp.Port);
        Assert.Equal(2, server.Server.BoundEndpoints.Count);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Udp_register_with_authentication_succeeds(string address)
    {
        await using var server = await LoopbackServer.StartAsync(address: address);
        server.AddUser("alice");
        using var client = new UdpTestClient(server.Udp);

        var response = await client.RegisterAsync("alice", "secret", address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address);

        Assert.Equal(200, response.StatusCode);
        Assert.True((await server.WaitForPresenceAsync("alice", true, Timeout)).Online);
    }

    [Fact]
    public async Task Tcp_register_with_authentication_succeeds_and_closing_disconnects()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("alice");
        var client = await TcpTestClient.ConnectAsync(server.Tcp);

        var response = await client.RegisterAsync("alice", "secret", "127.0.0.1");
        client.Dispose();

        Assert.Equal(200, response.StatusCode);
        await server.WaitForPresenceAsync("alice", false, Timeout);
    }

    [Fact]
    public async Task Tcp_message_over_the_size_limit_closes_the_connection()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var client = await TcpTestClient.ConnectAsync(server.Tcp);
        var huge = SipRequests.Simple("OPTIONS").Replace("Content-Length: 0", "X-Pad: " + new string('a', 70_000) + "\r\nContent-Length: 0", StringComparison.Ordinal);

        await client.SendAsync(huge);

        Assert.True(await client.IsClosedByServerAsync(Timeout));
    }

    [Fact]
    public async Task Tcp_peer_sending_headers_forever_is_cut_off_at_the_size_limit()
    {
        await using var server = await LoopbackServer.StartAsync(o => o.MaxMessageSize = 8192);
        using var client = await TcpTestClient.ConnectAsync(server.Tcp);

        await client.SendAsync("OPTIONS sip:x SIP/2.0\r\n");
        var closed = false;
        for (var i = 0; i < 200 && !closed; i++)
        {
            try
            {
                await client.SendAsync("X-Forever: 0123456789012345678901234567890123456789\r\n");
            }
            catch (SocketException)
            {
                closed = true;
            }
        }

        Assert.True(closed || await client.IsClosedByServerAsync(Timeout));
    }

    [Fact]
    public async Task Tcp_peer_that_stops_mid_message_is_timed_out()
    {
        await using var server = await LoopbackServer.StartAsync(o => o.TcpIdleTimeout = TimeSpan.FromMilliseconds(500));
        using var client = await TcpTestClient.ConnectAsync(server.Tcp);

        await client.SendAsync("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK1\r\n");

        Assert.True(await client.IsClosedByServerAsync(Timeout));
    }

    [Fact]
    public async Task Tcp_peer_trickling_a_message_byte_by_byte_is_cut_off_at_the_idle_timeout()
    {
        // Slowloris: bytes keep arriving, but no message completes, so the idle timer must not be reset by them.
        var idleTimeout = TimeSpan.FromMilliseconds(600);
        await using var server = await LoopbackServer.StartAsync(o => o.TcpIdleTimeout = idleTimeout);
        using var client = await TcpTestClient.ConnectAsync(server.Tcp);
        var trickle = "OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK1\r\nX-Slow: " + new string('a', 400);
        var sent = 0;
        var cutOff = false;

        foreach (var octet in trickle)
        {
            try
            {
                await client.SendAsync(octet.ToString());
                sent++;
            }
            catch (SocketException)
            {
                cutOff = true;
                break;
            }

            await Task.Delay(20);
        }

        cutOff = cutOff || await client.IsClosedByServerAsync(Timeout);
        Assert.True(cutOff);
        // Counted in bytes, not seconds: the trickle lasts over 9 s (a loaded machine only stretches it), the cut comes
        // 0.6 s in; a timer reset by every byte would let all of it through and close only after the last one.
        Assert.True(sent < trickle.Length, "closed only after the whole trickle was sent");
    }

    [Fact]
    public async Task Two_pipelined_tcp_messages_in_one_segment_are_both_answered()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var client = await TcpTestClient.ConnectAsync(server.Tcp);

        await client.SendAsync("\r\n\r\n" + SipRequests.Simple("OPTIONS", transport: "TCP") + SipRequests.Simple("OPTIONS", transport: "TCP"));

        Assert.Equal(200, (await client.ReceiveAsync(Timeout))?.StatusCode);
        Assert.Equal(200, (await client.ReceiveAsync(Timeout))?.StatusCode);
    }

    [Fact]
    public async Task Random_bytes_and_an_oversized_datagram_do_not_stop_the_server()
    {
        await using var server = await LoopbackServer.StartAsync(o => o.MaxMessageSize = 4096);
        using var client = new UdpTestClient(server.Udp);
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var noise = new byte[random.Next(1, 1500)];
            random.NextBytes(noise);
            await client.SendAsync(noise);
        }

        var big = SipRequests.Simple("OPTIONS", viaSentBy: client.ViaSentBy).Replace("Content-Length: 0", "X-Pad: " + new string('a', 65_000) + "\r\nContent-Length: 0", StringComparison.Ordinal);
        await client.SendAsync(big);
        var answerToBig = await client.ReceiveAsync(TimeSpan.FromMilliseconds(500));
        await client.SendAsync(SipRequests.Simple("OPTIONS", viaSentBy: client.ViaSentBy));
        var answer = await client.ReceiveAsync(Timeout);

        Assert.Null(answerToBig);
        Assert.Equal(200, answer?.StatusCode);
    }

    [Fact]
    public async Task Udp_receive_survives_icmp_port_unreachable()
    {
        await using var server = await LoopbackServer.StartAsync();
        int closedPort;
        using (var gone = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            closedPort = ((IPEndPoint)gone.Client.LocalEndPoint!).Port;
        }

        // Responses to a closed port make the kernel queue ICMP errors on the server socket.
        using (var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            for (var i = 0; i < 20; i++)
            {
                await sender.SendAsync(System.Text.Encoding.UTF8.GetBytes(SipRequests.Simple("OPTIONS", viaSentBy: $"127.0.0.1:{closedPort}").Replace(";rport", "", StringComparison.Ordinal)), server.Udp);
            }
        }

        await Task.Delay(200);
        using var client = new UdpTestClient(server.Udp);
        await client.SendAsync(SipRequests.Simple("OPTIONS", viaSentBy: client.ViaSentBy));

        Assert.Equal(200, (await client.ReceiveAsync(Timeout))?.StatusCode);
    }

    [Fact]
    public async Task A_tcp_register_with_bare_lf_line_ends_is_answered()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.AddUser("alice");
        using var client = await TcpTestClient.ConnectAsync(server.Tcp);
        var request = SipRequests.Register("alice", "127.0.0.1", $"<sip:alice@{client.ViaSentBy};transport=tcp>", transport: "TCP",
            viaSentBy: client.ViaSentBy);

        await client.SendAsync(request.Replace("\r\n", "\n", StringComparison.Ordinal));
        var response = await client.ReceiveAsync(Timeout);

        Assert.Equal(401, response?.StatusCode);
    }

    [Fact]
    public async Task Retransmitted_udp_register_gets_the_identical_response()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var client = new UdpTestClient(server.Udp);
        await client.SendAsync(SipRequests.Register("nobody", "127.0.0.1", "<sip:nobody@127.0.0.1:1>", viaSentBy: client.ViaSentBy));
        var challenge = await client.ReceiveAsync(Timeout);
        // Credentials make the request stateful (a challenge without them is answered afresh each time, decision 0025).
        var auth = DigestTestClient.Authorization(challenge!.GetHeader(SipHeaderNames.WwwAuthenticate)!, "nobody", "guess", "REGISTER", "sip:127.0.0.1");
        var request = SipRequests.Register("nobody", "127.0.0.1", "<sip:nobody@127.0.0.1:1>", cseq: 2, branch: "z9hG4bKsame",
            authorization: auth, viaSentBy: client.ViaSentBy);

        await client.SendAsync(request);
        var first = await client.ReceiveAsync(Timeout);
        await client.SendAsync(request);
        var second = await client.ReceiveAsync(Timeout);

        Assert.Equal(401, first!.StatusCode);
        Assert.Equal(first.GetHeader(SipHeaderNames.WwwAuthenticate), second!.GetHeader(SipHeaderNames.WwwAuthenticate));
    }
}
