using System.Text;
using LPTracker.Core.Calls;
using LPTracker.Core.Projects;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;
using SipTrunkOptions = LPTracker.Core.Telephony.SipTrunkOptions;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>
/// Click-to-call over real UDP with T1 shortened to 50 ms, so 64·T1 (the employee phone's wait for its ACK, and
/// the old Timer B on the client's ringing INVITE) is 3.2 s: the client rings longer than that and the two are still
/// joined (decision 0017).
/// </summary>
public sealed class ClickToCallTests : IAsyncLifetime
{
    private const string Client = "+79001234567";
    private const string ProjectNumber = "+78123893201";
    private static readonly TimeSpan ShortT1 = TimeSpan.FromMilliseconds(50);
    private readonly RawSipPeer _carrier = new();
    private readonly RawSipPeer _alice = new();
    private readonly InMemoryCallDirectory _directory = new();
    private readonly RecordingCallEvents _events = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _directory.AddNumber(ProjectNumber, RingMode.Simultaneous, 30, InMemoryCallDirectory.Sip(1, "alice"));
        _directory.SingleNumbers[1] = ProjectNumber;
        _server = await LoopbackServer.StartAsync(o =>
        {
            o.QualifyInterval = TimeSpan.FromHours(1);
            o.T1 = ShortT1;
            o.Trunks = [new SipTrunkOptions { Name = "carrier", Address = _carrier.Local.ToString(), Transport = "udp" }];
        }, calls: _directory, events: _events);
        await _alice.BindAsync(_server, "alice");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _carrier.Dispose();
        _alice.Dispose();
    }

    [Fact]
    public async Task The_client_may_ring_longer_than_64_t1_the_employee_is_acked_at_once_and_joined_by_a_re_invite()
    {
        var (result, _) = await _server.Server.Calls.StartAsync(1, 1, 1, Client, CancellationToken.None);
        Assert.Equal(ClickToCallStart.Started, result);
        var toAlice = await _alice.ExpectRequestAsync("INVITE");
        await _alice.SendAsync(RawSipPeer.Answer(toAlice, 200, "OK", body: "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n"),
            _server.Udp);
        // Her 200 is acknowledged at once, with her offer made inactive: her phone never waits 64·T1 for an ACK.
        var hold = await _alice.ExpectRequestAsync("ACK", TimeSpan.FromSeconds(2));
        var toClient = await _carrier.ExpectRequestAsync("INVITE");
        await _carrier.SendAsync(RawSipPeer.Answer(toClient, 180, "Ringing"), _server.Udp);

        await Task.Delay(ShortT1 * 64 + TimeSpan.FromSeconds(1));
        Assert.Equal(1, _server.Server.Calls.ActiveCalls);
        Assert.Null(await _carrier.ReceiveAsync(m => m is SipRequest { Method: "CANCEL" }, TimeSpan.FromMilliseconds(100)));
        await _carrier.SendAsync(RawSipPeer.Answer(toClient, 200, "OK", body: "v=0\r\no=client\r\n"), _server.Udp);
        var reInvite = await _alice.ExpectRequestAsync("INVITE");
        await _alice.SendAsync(RawSipPeer.Answer(reInvite, 200, "OK", body: "v=0\r\no=alice 1 2 IN IP4 127.0.0.1\r\n"), _server.Udp);
        var joined = await _alice.ExpectRequestAsync("ACK");
        Assert.NotNull(await _carrier.ReceiveAsync(m => m is SipRequest { Method: "ACK" }, TimeSpan.FromSeconds(5)));

        Assert.Contains("a=inactive", Body(hold), StringComparison.Ordinal);
        Assert.DoesNotContain("a=sendrecv", Body(hold), StringComparison.Ordinal);
        Assert.Contains("o=alice 1 1", Body(toClient), StringComparison.Ordinal);
        Assert.Equal(toAlice.CallId, reInvite.CallId);
        Assert.True(reInvite.Body.IsEmpty);
        Assert.Equal("v=0\r\no=client\r\n", Body(joined));
        Assert.Equal(reInvite.ParseCSeq()!.Value.Number, joined.ParseCSeq()!.Value.Number);

        await _alice.SendAsync(_alice.AsCallee(toAlice, "BYE", 1), _server.Udp);
        var bye = await _carrier.ExpectRequestAsync("BYE");
        await _carrier.SendAsync(RawSipPeer.Answer(bye, 200, "OK"), _server.Udp);
        await _events.WaitForAsync("ended Answered by 1", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task When_the_client_does_not_answer_the_employees_confirmed_call_gets_a_bye()
    {
        var (result, _) = await _server.Server.Calls.StartAsync(1, 1, 1, Client, CancellationToken.None);
        Assert.Equal(ClickToCallStart.Started, result);
        var toAlice = await _alice.ExpectRequestAsync("INVITE");
        await _alice.SendAsync(RawSipPeer.Answer(toAlice, 200, "OK", body: "v=0\r\no=alice\r\n"), _server.Udp);
        await _alice.ExpectRequestAsync("ACK");
        var toClient = await _carrier.ExpectRequestAsync("INVITE");
        await _carrier.SendAsync(RawSipPeer.Answer(toClient, 486, "Busy Here"), _server.Udp);

        var bye = await _alice.ExpectRequestAsync("BYE");
        await _alice.SendAsync(RawSipPeer.Answer(bye, 200, "OK"), _server.Udp);
        await _events.WaitForAsync("ended Busy", TimeSpan.FromSeconds(10));
        Assert.Equal(0, _server.Server.Calls.ActiveCalls);
    }

    private static string Body(SipMessage message) => Encoding.UTF8.GetString(message.Body.Span);
}
