using LPTracker.Core.Projects;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;
using SipTrunkOptions = LPTracker.Core.Telephony.SipTrunkOptions;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>Calls from a SIP phone over real UDP: 407 then out through the trunk with the displayed number, or to a
/// colleague's SIP login (internal).</summary>
public sealed class B2buaPhoneCallTests : IAsyncLifetime
{
    private const string Displayed = "+78123893205";
    private readonly RawSipPeer _carrier = new();
    private readonly RawSipPeer _alice = new();
    private readonly RawSipPeer _bob = new();
    private readonly InMemoryCallDirectory _directory = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _directory.AddNumber("+78123893201", RingMode.Simultaneous, 30, InMemoryCallDirectory.Sip(1, "alice"), InMemoryCallDirectory.Sip(2, "bob"));
        _directory.DisplayedNumbers[1] = Displayed;
        _server = await LoopbackServer.StartAsync(o =>
        {
            o.QualifyInterval = TimeSpan.FromHours(1);
            o.Trunks = [new SipTrunkOptions { Name = "carrier", Address = _carrier.Local.ToString(), Transport = "udp" }];
        }, calls: _directory);
        _server.AddUser("alice", "secret", employeeId: 1, accountId: 1);
        _server.AddUser("bob", "secret", employeeId: 2, accountId: 1);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _carrier.Dispose();
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public async Task A_phone_dialling_a_number_goes_out_through_the_trunk_with_the_displayed_number()
    {
        await AuthenticatedInviteAsync("+79001234567");
        var invite = await _carrier.ExpectRequestAsync("INVITE");

        await _carrier.SendAsync(RawSipPeer.Answer(invite, 200, "OK", body: "v=0\r\no=carrier\r\n"), _server.Udp);
        var ok = await _alice.ExpectFinalAsync();

        Assert.StartsWith("sip:+79001234567@", invite.RequestUri, StringComparison.Ordinal);
        Assert.Contains($"<sip:{Displayed}@", invite.GetHeader(SipHeaderNames.From), StringComparison.Ordinal);
        Assert.Null(invite.GetHeader(SipHeaderNames.ProxyAuthorization));
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("v=0\r\no=carrier\r\n", System.Text.Encoding.UTF8.GetString(ok.Body.Span));
    }

    [Fact]
    public async Task A_phone_dialling_a_colleagues_login_rings_them_directly()
    {
        await _bob.BindAsync(_server, "bob");

        await AuthenticatedInviteAsync("bob");
        var invite = await _bob.ExpectRequestAsync("INVITE");

        Assert.Contains("<sip:alice@", invite.GetHeader(SipHeaderNames.From), StringComparison.Ordinal);
        Assert.Null(await _carrier.ReceiveAsync(m => m is SipRequest, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_phone_dialling_one_of_our_own_numbers_is_refused_as_a_loop()
    {
        await AuthenticatedInviteAsync("+78123893201");

        var response = await _alice.ExpectFinalAsync();

        Assert.Equal(482, response.StatusCode);
    }

    [Fact]
    public async Task A_re_invite_from_the_phone_reaches_the_carrier_with_the_new_sdp_and_a_second_one_meets_491()
    {
        await AuthenticatedInviteAsync("+79001234567");
        var invite = await _carrier.ExpectRequestAsync("INVITE");
        await _carrier.SendAsync(RawSipPeer.Answer(invite, 200, "OK", body: "v=0\r\no=carrier 1\r\n"), _server.Udp);
        var ok = await _alice.ExpectFinalAsync();
        Assert.Equal(200, ok.StatusCode);
        await _alice.SendAsync(_alice.InDialog(ok, "ACK", 2, ""), _server.Udp);
        Assert.NotNull(await _carrier.ReceiveAsync(m => m is SipRequest { Method: "ACK" }, TimeSpan.FromSeconds(10)));

        // Hold: the phone offers new SDP in the answered call.
        var (reInvite, cseq) = await ReInviteAsync(ok, "v=0\r\no=alice 2\r\na=sendonly\r\n");

        // Glare: the carrier's own re-INVITE while ours is pending is turned away (RFC 3261 §14.2).
        var carrierReInvite = $"INVITE {RawSipPeer.ContactUri(invite)} SIP/2.0\r\n" +
                              $"Via: SIP/2.0/UDP {_carrier.Local};branch=z9hG4bKglare{_carrier.Local.Port};rport\r\n" +
                              $"Max-Forwards: 70\r\nFrom: {invite.GetHeader(SipHeaderNames.To)};tag=ph1\r\nTo: {invite.GetHeader(SipHeaderNames.From)}\r\n" +
                              $"Call-ID: {invite.CallId}\r\nCSeq: 1 INVITE\r\nContact: <sip:peer@{_carrier.Local}>\r\nContent-Length: 0\r\n\r\n";
        await _carrier.SendAsync(carrierReInvite, _server.Udp);
        var glare = await _carrier.ExpectFinalAsync();

        await _carrier.SendAsync(RawSipPeer.Answer(reInvite, 200, "OK", body: "v=0\r\no=carrier 2\r\na=recvonly\r\n"), _server.Udp);
        // The answer to the re-INVITE (its CSeq): a retransmission of the first 200, sent before the server took her
        // ACK, may still be in her socket on a loaded machine.
        var reOk = await _alice.ExpectFinalAsync(cseq: cseq);
        var carrierAck = await _carrier.ReceiveAsync(m => m is SipRequest { Method: "ACK" }, TimeSpan.FromSeconds(10));

        Assert.Equal(invite.CallId, reInvite.CallId);
        Assert.Contains(";tag=ph1", reInvite.GetHeader(SipHeaderNames.From) + reInvite.GetHeader(SipHeaderNames.To), StringComparison.Ordinal);
        Assert.Equal("v=0\r\no=alice 2\r\na=sendonly\r\n", System.Text.Encoding.UTF8.GetString(reInvite.Body.Span));
        Assert.True(reInvite.ParseCSeq()!.Value.Number > invite.ParseCSeq()!.Value.Number);
        Assert.Equal(491, glare.StatusCode);
        Assert.Equal(200, reOk.StatusCode);
        Assert.Equal(cseq, reOk.ParseCSeq()!.Value.Number);
        Assert.Equal("v=0\r\no=carrier 2\r\na=recvonly\r\n", System.Text.Encoding.UTF8.GetString(reOk.Body.Span));
        Assert.NotNull(carrierAck);
        Assert.Equal(reInvite.ParseCSeq()!.Value.Number, ((SipRequest)carrierAck.Value.Message).ParseCSeq()!.Value.Number);
    }

    /// <summary>The phone's re-INVITE as the carrier got it. Datagrams are handled concurrently, so the server may not
    /// have taken the phone's ACK yet and answer 491; the phone then ACKs that and tries again (RFC 3261 §14.1).</summary>
    private async Task<(SipRequest Relayed, uint CSeq)> ReInviteAsync(SipResponse ok, string body)
    {
        for (uint cseq = 3; cseq < 8; cseq++)
        {
            var branch = $"z9hG4bKre{cseq}";
            await _alice.SendAsync(_alice.InDialog(ok, "INVITE", cseq, body, branch), _server.Udp);
            for (var wait = 0; wait < 10; wait++)
            {
                if (await _carrier.ReceiveAsync(m => m is SipRequest { Method: "INVITE" }, TimeSpan.FromSeconds(1)) is { } relayed)
                {
                    return ((SipRequest)relayed.Message, cseq);
                }

                if (await _alice.ReceiveAsync(m => m is SipResponse { StatusCode: >= 200 } r && r.ParseCSeq()?.Number == cseq, TimeSpan.FromMilliseconds(100)) is { } refused)
                {
                    Assert.Equal(491, ((SipResponse)refused.Message).StatusCode);
                    await _alice.SendAsync(_alice.InDialog(ok, "ACK", cseq, "", branch), _server.Udp);
                    break;
                }
            }
        }

        Assert.Fail("the re-INVITE never reached the carrier");
        return default;
    }

    private Task AuthenticatedInviteAsync(string target) => _alice.DialAsync(_server.Udp, target, "alice", "secret", "out-1");
}
