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

    private async Task AuthenticatedInviteAsync(string target)
    {
        var server = _server.Udp;
        await _alice.SendAsync(_alice.Invite(target, server, from: "alice", callId: "out-1"), server);
        var challenge = await _alice.ExpectFinalAsync();
        Assert.Equal(407, challenge.StatusCode);
        var auth = DigestTestClient.Authorization(challenge.GetHeader(SipHeaderNames.ProxyAuthenticate)!, "alice", "secret", "INVITE",
            $"sip:{target}@{server}");
        await _alice.SendAsync(_alice.Invite(target, server, from: "alice", callId: "out-1")
            .Replace("CSeq: 1 INVITE", $"CSeq: 2 INVITE\r\nProxy-Authorization: {auth}", StringComparison.Ordinal), server);
    }
}
