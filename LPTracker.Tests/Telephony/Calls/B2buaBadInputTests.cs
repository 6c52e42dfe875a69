using System.Net;
using System.Text;
using LPTracker.Core.Projects;
using SipTrunkOptions = LPTracker.Core.Telephony.SipTrunkOptions;
using LPTracker.Telephony;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;
using static LPTracker.Tests.Telephony.TestSupport.InMemoryCallDirectory;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>The "bad input" list against the B2BUA over real UDP sockets: each answered per the RFC, nothing kept.</summary>
public sealed class B2buaBadInputTests : IAsyncLifetime
{
    private const string Dialled = "+78123893201";
    private readonly RawSipPeer _carrier = new();
    private readonly RawSipPeer _phone = new();
    private readonly InMemoryCallDirectory _directory = new();
    private LoopbackServer _server = null!;

    private IPEndPoint Server => _server.Udp;

    public async Task InitializeAsync()
    {
        _directory.AddNumber(Dialled, RingMode.Simultaneous, 30, InMemoryCallDirectory.Sip(1, "alice"));
        _directory.AddNumber("+78123893202", RingMode.Simultaneous, 30);
        _server = await LoopbackServer.StartAsync(o =>
        {
            o.QualifyInterval = TimeSpan.FromHours(1);
            o.MaxCalls = 5;
            o.Trunks = [new SipTrunkOptions { Name = "carrier", Address = _carrier.Local.ToString(), Transport = "udp" }];
        }, calls: _directory);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _carrier.Dispose();
        _phone.Dispose();
    }

    [Fact]
    public async Task An_invite_from_an_untrusted_address_is_challenged_and_never_rings_anyone()
    {
        await RegisterPhoneAsync("alice");

        await _phone.SendAsync(_phone.Invite(Dialled, Server), Server);
        var response = await _phone.ExpectFinalAsync();

        Assert.Equal(407, response.StatusCode);
        Assert.NotNull(response.GetHeader(SipHeaderNames.ProxyAuthenticate));
        Assert.Null(await _phone.ReceiveAsync(m => m is SipRequest, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Wrong_credentials_from_a_phone_get_403()
    {
        _server.AddUser("alice", "right");
        await _phone.SendAsync(_phone.Invite(Dialled, Server, branch: "b1"), Server);
        var challenge = await _phone.ExpectFinalAsync();
        var auth = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.ProxyAuthenticate)!, "alice", "wrong", "INVITE",
            $"sip:{Dialled}@{Server}");

        await _phone.SendAsync(_phone.Invite(Dialled, Server, branch: "b2").Replace("CSeq: 1 INVITE", $"CSeq: 2 INVITE\r\nProxy-Authorization: {auth}",
            StringComparison.Ordinal), Server);
        var response = await _phone.ExpectFinalAsync();

        Assert.Equal(403, response.StatusCode);
    }

    [Theory]
    [InlineData("+70000000000", "70", 404)]
    [InlineData("alice", "70", 404)]
    [InlineData("+78123893202", "70", 480)]
    [InlineData(Dialled, "0", 483)]
    public async Task A_carrier_invite_that_cannot_ring_is_refused(string user, string maxForwards, int status)
    {
        await _carrier.SendAsync(_carrier.Invite(user, Server, maxForwards: maxForwards), Server);
        var response = await _carrier.ExpectFinalAsync();

        Assert.Equal(status, response.StatusCode);
        await WaitUntilAsync(() => _server.Server.Calls.ActiveCalls == 0);
    }

    [Fact]
    public async Task An_invite_that_already_went_through_us_is_a_loop()
    {
        await RegisterPhoneAsync("alice");
        await _carrier.SendAsync(_carrier.Invite(Dialled, Server), Server);
        var ours = await _phone.ExpectRequestAsync("INVITE");
        var looped = _carrier.Invite(Dialled, Server, extraVia: $"Via: {ours.GetHeader(SipHeaderNames.Via)}\r\n");

        await _carrier.SendAsync(looped, Server);
        var response = await _carrier.ReceiveAsync(m => m is SipResponse { StatusCode: 482 }, TimeSpan.FromSeconds(10));

        Assert.NotNull(response);
    }

    [Fact]
    public async Task Cancel_and_bye_for_nothing_we_know_get_481()
    {
        var cancel = $"CANCEL sip:{Dialled}@{Server} SIP/2.0\r\nVia: SIP/2.0/UDP {_carrier.Local};branch=z9hG4bKnothing\r\nMax-Forwards: 70\r\n" +
                     $"From: <sip:a@b>;tag=1\r\nTo: <sip:{Dialled}@{Server}>\r\nCall-ID: none\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n";
        var bye = cancel.Replace("CANCEL", "BYE", StringComparison.Ordinal).Replace($"{Server}>", $"{Server}>;tag=x", StringComparison.Ordinal)
            .Replace("z9hG4bKnothing", "z9hG4bKnothing2", StringComparison.Ordinal);

        await _carrier.SendAsync(cancel, Server);
        var cancelResponse = await _carrier.ExpectFinalAsync("CANCEL");
        await _carrier.SendAsync(bye, Server);
        var byeResponse = await _carrier.ExpectFinalAsync("BYE");

        Assert.Equal(481, cancelResponse.StatusCode);
        Assert.Equal(481, byeResponse.StatusCode);
    }

    [Fact]
    public async Task An_invite_flood_is_turned_away_beyond_the_bound_and_nothing_is_kept()
    {
        await RegisterPhoneAsync("alice");
        for (var i = 0; i < 20; i++)
        {
            await _carrier.SendAsync(_carrier.Invite(Dialled, Server), Server);
        }

        // Distinct calls (a 503's retransmission is not another refusal), until 15 or 10 s of quiet: a loaded machine can
        // leave a quiet second or two before the first answer.
        var refused = new HashSet<string>();
        while (refused.Count < 15 && await _carrier.ReceiveAsync(m => m is SipResponse { StatusCode: 503 }, TimeSpan.FromSeconds(10)) is { } got)
        {
            refused.Add(got.Message.CallId ?? "");
        }

        Assert.True(refused.Count >= 15, $"{refused.Count} INVITEs refused");
        Assert.True(_server.Server.Calls.ActiveCalls <= 5);
        Assert.True(_server.Server.Calls.Invites.ServerCount <= 5);
    }

    [Fact]
    public async Task Garbage_sdp_is_passed_to_the_phone_byte_for_byte()
    {
        await RegisterPhoneAsync("alice");
        const string garbage = "v=banana\r\n\0\u00ff not sdp at all ;;;\r\nm=\r\n";

        await _carrier.SendAsync(_carrier.Invite(Dialled, Server, body: garbage), Server);
        var invite = await _phone.ExpectRequestAsync("INVITE");

        Assert.Equal(Encoding.UTF8.GetBytes(garbage), invite.Body.ToArray());
    }

    [Fact]
    public async Task A_200_without_sdp_to_an_offer_is_hung_up_and_the_caller_gets_480()
    {
        await RegisterPhoneAsync("alice");
        await _carrier.SendAsync(_carrier.Invite(Dialled, Server), Server);
        var invite = await _phone.ExpectRequestAsync("INVITE");

        await _phone.SendAsync(RawSipPeer.Answer(invite, 200, "OK"), Server);
        var ack = await _phone.ExpectRequestAsync("ACK");
        var bye = await _phone.ExpectRequestAsync("BYE");
        var final = await _carrier.ExpectFinalAsync();

        Assert.NotNull(ack);
        Assert.NotNull(bye);
        Assert.Equal(480, final.StatusCode);
    }

    [Fact]
    public async Task A_phone_answering_after_the_caller_cancelled_gets_ack_and_bye()
    {
        await RegisterPhoneAsync("alice");
        await _carrier.SendAsync(_carrier.Invite(Dialled, Server, branch: "cx", callId: "cancelled-call"), Server);
        var invite = await _phone.ExpectRequestAsync("INVITE");
        await _phone.SendAsync(RawSipPeer.Answer(invite, 180, "Ringing"), Server);
        await _carrier.ReceiveAsync(m => m is SipResponse { StatusCode: 180 }, TimeSpan.FromSeconds(15));
        await _carrier.SendAsync($"CANCEL sip:{Dialled}@{Server} SIP/2.0\r\nVia: SIP/2.0/UDP {_carrier.Local};branch=z9hG4bKcx;rport\r\n" +
                                 $"Max-Forwards: 70\r\nFrom: <sip:+79001234567@{_carrier.Local}>;tag=t{_carrier.Local.Port}\r\n" +
                                 $"To: <sip:{Dialled}@{Server}>\r\nCall-ID: cancelled-call\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n", Server);
        await _phone.ExpectRequestAsync("CANCEL");

        await _phone.SendAsync(RawSipPeer.Answer(invite, 200, "OK", body: "v=0\r\n"), Server);
        var ack = await _phone.ExpectRequestAsync("ACK");
        var bye = await _phone.ExpectRequestAsync("BYE");
        var final = await _carrier.ExpectFinalAsync();

        Assert.NotNull(ack);
        Assert.NotNull(bye);
        Assert.Equal(487, final.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 10 s");
            await Task.Delay(20);
        }
    }

    private async Task RegisterPhoneAsync(string user)
    {
        _server.AddUser(user);
        await _phone.BindAsync(_server, user);
    }
}
