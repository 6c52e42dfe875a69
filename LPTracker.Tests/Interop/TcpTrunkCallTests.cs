using LPTracker.Tests.Telephony.Calls;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Interop;

/// <summary>Calls out through a <c>tcp</c> trunk that never called us first: the B2BUA opens the connection itself
/// (sipp listening on TCP as the carrier), or gives the phone 503 when it cannot.</summary>
public sealed class TcpTrunkCallTests
{
    private const string Displayed = "+78123893205";
    private const string Client = "+79001234567";

    [Fact]
    public async Task A_call_out_over_a_tcp_trunk_opens_our_own_connection_and_the_carrier_answers_and_hangs_up()
    {
        await using var rig = await StartRigAsync();
        using var phone = new RawSipPeer();
        await rig.StartCarrierUasAsync("phone-answer-hangup.xml", tcp: true);

        await phone.DialAsync(rig.Server.Udp, Client, "alice", "secret", "tcp-out-1");
        var ok = await phone.ExpectFinalAsync(timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(1, rig.Server.Server.TcpConnections);
        await phone.SendAsync(phone.InDialog(ok, "ACK", 2, ""), rig.Server.Udp);
        var bye = await phone.ExpectRequestAsync("BYE", TimeSpan.FromSeconds(20));
        await phone.SendAsync(RawSipPeer.Answer(bye, 200, "OK"), rig.Server.Udp);
        var (carrier, carrierOutput) = await rig.WaitForPhoneAsync("carrier");

        Assert.True(carrier == 0, carrierOutput);
        var toCarrier = rig.InviteSeenBy("carrier");
        Assert.StartsWith($"INVITE sip:{Client}@", toCarrier, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/TCP ", toCarrier, StringComparison.Ordinal);
        Assert.Contains($"From: <sip:{Displayed}@", toCarrier, StringComparison.Ordinal);
        Assert.Contains("o=phone", System.Text.Encoding.UTF8.GetString(ok.Body.Span), StringComparison.Ordinal);
        await WaitUntilAsync(() => rig.Server.Server.Calls.ActiveCalls == 0, "the call ended");
    }

    [Fact]
    public async Task A_call_out_to_a_tcp_trunk_that_refuses_the_connection_gets_503_and_leaves_nothing_behind()
    {
        // Nobody listens on the carrier's TCP port: the connection is refused.
        await using var rig = await StartRigAsync();
        using var phone = new RawSipPeer();

        await phone.DialAsync(rig.Server.Udp, Client, "alice", "secret", "tcp-out-2");
        var refused = await phone.ExpectFinalAsync(timeout: TimeSpan.FromSeconds(20));

        Assert.Equal(503, refused.StatusCode);
        Assert.Equal(0, rig.Server.Server.TcpConnections);
        await WaitUntilAsync(() => rig.Server.Server.Calls.ActiveCalls == 0 && rig.Server.Server.Calls.Invites.ClientCount == 0,
            "the call and its INVITE client transaction are gone");
    }

    /// <summary>The B2BUA with a <c>tcp</c> trunk on the rig's carrier port and alice, whose calls out show
    /// <see cref="Displayed"/>.</summary>
    private static async Task<SippCallRig> StartRigAsync()
    {
        var directory = new InMemoryCallDirectory();
        directory.DisplayedNumbers[1] = Displayed;
        var rig = await SippCallRig.StartAsync(directory, o => o.Trunks[0].Transport = "tcp");
        rig.Server.AddUser("alice", "secret", employeeId: 1, accountId: 1);
        return rig;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), what);
    }
}
