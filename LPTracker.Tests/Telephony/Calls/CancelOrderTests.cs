using LPTracker.Core.Calls;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using LPTracker.Telephony.Calls;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;
using SipTrunkOptions = LPTracker.Core.Telephony.SipTrunkOptions;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>
/// The carrier's CANCEL over real UDP: its 200 always leaves before the INVITE's 487 (RFC 3261 §9.2), whether the
/// call rings already or its ring plan is still being read — and in the second case nothing rings afterwards.
/// </summary>
public sealed class CancelOrderTests : IAsyncLifetime
{
    private const string Dialled = "+78123893201";

    // Patience for an answer over loopback, not a latency: CI's 2 cores run the whole suite alongside.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly RawSipPeer _carrier = new();
    private readonly RawSipPeer _phone = new();
    private readonly GatedDirectory _directory = new();
    private readonly RecordingCallEvents _events = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _directory.Inner.AddNumber(Dialled, RingMode.Simultaneous, 30, InMemoryCallDirectory.Sip(1, "alice"));
        _server = await LoopbackServer.StartAsync(o =>
        {
            o.QualifyInterval = TimeSpan.FromHours(1);
            o.Trunks = [new SipTrunkOptions { Name = "carrier", Address = _carrier.Local.ToString(), Transport = "udp" }];
        }, calls: _directory, events: _events);
        await _phone.BindAsync(_server, "alice");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _carrier.Dispose();
        _phone.Dispose();
    }

    [Fact]
    public async Task A_cancel_while_the_phone_rings_gets_its_200_before_the_invites_487_every_time()
    {
        _directory.Open();
        var rung = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var callId = $"ringing-{i}";
            await _carrier.SendAsync(_carrier.Invite(Dialled, _server.Udp, branch: callId, callId: callId), _server.Udp);
            // This call's INVITE and CANCEL, never a retransmission of an earlier call's left in the phone's socket (the
            // PBX resends after T1 when a loaded machine lets the phone answer late).
            var invite = await _phone.ExpectRequestAsync("INVITE", unless: m => rung.Contains(m.CallId ?? ""));
            rung.Add(invite.CallId ?? "");
            await _phone.SendAsync(RawSipPeer.Answer(invite, 180, "Ringing"), _server.Udp);
            Assert.NotNull(await _carrier.ReceiveAsync(m => m is SipResponse { StatusCode: 180 } && m.CallId == callId, Patience));

            await _carrier.SendAsync(Cancel(callId), _server.Udp);
            var phoneCancel = await _phone.ExpectRequestAsync("CANCEL", unless: m => m.CallId != invite.CallId);
            await _phone.SendAsync(RawSipPeer.Answer(phoneCancel, 200, "OK"), _server.Udp);
            await _phone.SendAsync(RawSipPeer.Answer(invite, 487, "Request Terminated"), _server.Udp);

            Assert.Equal(["200 CANCEL", "487 INVITE"], await FinalsAsync(callId));
            await AckAsync(callId);
        }

        await UntilAsync(() => _server.Server.Calls.ActiveCalls == 0);
    }

    [Fact]
    public async Task A_cancel_while_the_ring_plan_is_read_gets_200_then_487_and_no_phone_rings()
    {
        await _carrier.SendAsync(_carrier.Invite(Dialled, _server.Udp, branch: "early", callId: "early"), _server.Udp);
        Assert.NotNull(await _carrier.ReceiveAsync(m => m is SipResponse { StatusCode: 100 }, Patience));
        await _directory.Reading.WaitAsync(Patience);

        await _carrier.SendAsync(Cancel("early"), _server.Udp);
        var finals = await FinalsAsync("early");
        _directory.Open();
        await AckAsync("early");

        Assert.Equal(["200 CANCEL", "487 INVITE"], finals);
        Assert.Null(await _phone.ReceiveAsync(m => m is SipRequest { Method: "INVITE" }, TimeSpan.FromSeconds(1)));
        await UntilAsync(() => _server.Server.Calls.ActiveCalls == 0);
        Assert.DoesNotContain(_events.Lines, l => l.StartsWith("started", StringComparison.Ordinal));
    }

    private string Cancel(string callId) =>
        $"CANCEL sip:{Dialled}@{_server.Udp} SIP/2.0\r\nVia: SIP/2.0/UDP {_carrier.Local};branch=z9hG4bK{callId};rport\r\n" +
        $"Max-Forwards: 70\r\nFrom: <sip:+79001234567@{_carrier.Local}>;tag=t{_carrier.Local.Port}\r\n" +
        $"To: <sip:{Dialled}@{_server.Udp}>\r\nCall-ID: {callId}\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n";

    /// <summary>The first two final responses of the call as the carrier received them, in arrival order.</summary>
    private async Task<List<string>> FinalsAsync(string callId)
    {
        var finals = new List<string>();
        while (finals.Count < 2)
        {
            var got = await _carrier.ReceiveAsync(m => m is SipResponse { StatusCode: >= 200 } && m.CallId == callId, Patience);
            Assert.True(got is not null, $"only {string.Join(", ", finals)} arrived");
            var response = (SipResponse)got.Value.Message;
            finals.Add($"{response.StatusCode} {response.ParseCSeq()!.Value.Method}");
        }

        return finals;
    }

    /// <summary>The carrier's hop-by-hop ACK for the 487 (same branch as its INVITE).</summary>
    private Task AckAsync(string callId) =>
        _carrier.SendAsync($"ACK sip:{Dialled}@{_server.Udp} SIP/2.0\r\nVia: SIP/2.0/UDP {_carrier.Local};branch=z9hG4bK{callId};rport\r\n" +
                           $"Max-Forwards: 70\r\nFrom: <sip:+79001234567@{_carrier.Local}>;tag=t{_carrier.Local.Port}\r\n" +
                           $"To: <sip:{Dialled}@{_server.Udp}>;tag=x\r\nCall-ID: {callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n", _server.Udp);

    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "the call did not end");
    }

    /// <summary>A directory whose ring-plan read waits until the test opens it (the window a CANCEL can fall into).</summary>
    private sealed class GatedDirectory : ICallDirectory
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public InMemoryCallDirectory Inner { get; } = new();

        public Task Reading => _reading.Task;

        public void Open() => _open.TrySetResult();

        public async Task<RingPlanData?> FindDialledAsync(string dialledE164, CancellationToken cancellationToken)
        {
            _reading.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
            return await Inner.FindDialledAsync(dialledE164, cancellationToken);
        }

        public Task<RingEmployee?> FindEmployeeAsync(int accountId, int employeeId, CancellationToken cancellationToken) =>
            Inner.FindEmployeeAsync(accountId, employeeId, cancellationToken);

        public Task<bool> IsVirtualNumberAsync(string e164, CancellationToken cancellationToken) => Inner.IsVirtualNumberAsync(e164, cancellationToken);

        public Task<string?> CallerIdAsync(int accountId, CallKind kind, int? employeeId, int? projectId, CancellationToken cancellationToken) =>
            Inner.CallerIdAsync(accountId, kind, employeeId, projectId, cancellationToken);
    }
}
