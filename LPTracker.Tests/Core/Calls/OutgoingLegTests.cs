using LPTracker.Core.Calls;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Telephony.Calls;
using LPTracker.Tests.Telephony.TestSupport;
using Microsoft.EntityFrameworkCore;
using SipTrunkOptions = LPTracker.Core.Telephony.SipTrunkOptions;

namespace LPTracker.Tests.Core.Calls;

/// <summary>
/// The client's leg of a call an employee makes (from their phone, or click-to-call) over real UDP through the
/// B2BUA into Core's real <see cref="ICallEvents"/>: the employee's live state follows it, the call log keeps it as
/// their leg, and it never pops up an incoming-call card.
/// </summary>
public sealed class OutgoingLegTests : IAsyncLifetime
{
    private const string Client = "+79001234567";
    private readonly RawSipPeer _carrier = new();
    private readonly RawSipPeer _phone = new();
    private readonly InMemoryCallDirectory _directory = new();
    private CallsTestHost _host = null!;
    private LoopbackServer _server = null!;
    private CallerContext _owner = null!;
    private CallerContext _alice = null!;
    private int _projectId;

    public async Task InitializeAsync()
    {
        _host = await CallsTestHost.StartAsync();
        (_owner, _projectId) = await _host.SignUpAsync();
        _alice = await _host.AddEmployeeAsync(_owner, "Алиса Звонарёва");
        _directory.DisplayedNumbers[_alice.EmployeeId] = "+78123893205";
        _directory.SingleNumbers[_projectId] = "+78123893201";
        _directory.Employees[_alice.EmployeeId] = InMemoryCallDirectory.Sip(_alice.EmployeeId, "alice");
        _server = await LoopbackServer.StartAsync(o =>
        {
            o.QualifyInterval = TimeSpan.FromHours(1);
            o.Trunks = [new SipTrunkOptions { Name = "carrier", Address = _carrier.Local.ToString(), Transport = "udp" }];
        }, calls: _directory, events: _host.Events);
        _server.AddUser("alice", "secret", _alice.EmployeeId, _alice.AccountId);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _host.DisposeAsync();
        _carrier.Dispose();
        _phone.Dispose();
    }

    private LiveCallTracker Tracker => _host.Core.Get<LiveCallTracker>();

    [Fact]
    public async Task A_call_out_from_a_phone_shows_the_employee_ringing_then_talking_and_is_logged_as_their_answered_leg()
    {
        using var popUps = _host.RecordPopUps(_alice);
        await _phone.DialAsync(_server.Udp, Client, "alice", "secret", "out-legs-1");
        var invite = await _carrier.ExpectRequestAsync("INVITE");
        await _carrier.SendAsync(RawSipPeer.Answer(invite, 180, "Ringing"), _server.Udp);
        await ActivityAsync(CallActivity.Ringing);

        await _carrier.SendAsync(RawSipPeer.Answer(invite, 200, "OK", body: "v=0\r\no=client\r\n"), _server.Udp);
        var ok = await _phone.ExpectFinalAsync();
        await ActivityAsync(CallActivity.Talking);
        await _phone.SendAsync(_phone.InDialog(ok, "ACK", 2, ""), _server.Udp);
        await _phone.SendAsync(_phone.InDialog(ok, "BYE", 3, ""), _server.Udp);
        var bye = await _carrier.ExpectRequestAsync("BYE");
        await _carrier.SendAsync(RawSipPeer.Answer(bye, 200, "OK"), _server.Udp);

        var call = await LoggedAsync(CallDirection.Outbound, legs: 1);
        var leg = Assert.Single(call.Legs);
        Assert.Equal(_alice.EmployeeId, leg.EmployeeId);
        Assert.Equal(CallOutcome.Answered, leg.Outcome);
        Assert.NotNull(leg.AnsweredUtc);
        Assert.Equal(_alice.EmployeeId, call.AnsweredByEmployeeId);
        await ActivityAsync(null);
        Assert.Empty(popUps.Changes);
    }

    [Fact]
    public async Task Click_to_call_logs_the_clients_leg_under_the_employee_who_stays_talking_while_the_client_rings()
    {
        await _phone.BindAsync(_server, "alice");
        var (result, _) = await _server.Server.Calls.StartAsync(_owner.AccountId, _alice.EmployeeId, _projectId, Client, CancellationToken.None);
        Assert.Equal(ClickToCallStart.Started, result);
        var toAlice = await _phone.ExpectRequestAsync("INVITE");
        await _phone.SendAsync(RawSipPeer.Answer(toAlice, 200, "OK", body: "v=0\r\no=alice\r\n"), _server.Udp);
        await _phone.ExpectRequestAsync("ACK");
        var toClient = await _carrier.ExpectRequestAsync("INVITE");
        await _carrier.SendAsync(RawSipPeer.Answer(toClient, 180, "Ringing"), _server.Udp);
        await LoggedAsync(CallDirection.ClickToCall, legs: 2, ended: false);
        // Her own leg is answered: talking wins over the client's ringing leg.
        Assert.Equal(CallActivity.Talking, Tracker.Get(_alice.EmployeeId)?.Activity);

        await _carrier.SendAsync(RawSipPeer.Answer(toClient, 200, "OK", body: "v=0\r\no=client\r\n"), _server.Udp);
        var reInvite = await _phone.ExpectRequestAsync("INVITE");
        await _phone.SendAsync(RawSipPeer.Answer(reInvite, 200, "OK", body: "v=0\r\no=alice 2\r\n"), _server.Udp);
        await _phone.ExpectRequestAsync("ACK");
        await _carrier.SendAsync(_carrier.AsCallee(toClient, "BYE", 1), _server.Udp);
        var bye = await _phone.ExpectRequestAsync("BYE");
        await _phone.SendAsync(RawSipPeer.Answer(bye, 200, "OK"), _server.Udp);

        var call = await LoggedAsync(CallDirection.ClickToCall, legs: 2);
        Assert.All(call.Legs, l => Assert.Equal(_alice.EmployeeId, l.EmployeeId));
        Assert.All(call.Legs, l => Assert.Equal(CallOutcome.Answered, l.Outcome));
        Assert.Equal(_alice.EmployeeId, call.AnsweredByEmployeeId);
        await ActivityAsync(null);
    }

    private Task ActivityAsync(CallActivity? activity) =>
        Eventually.TrueAsync(() => Task.FromResult(Tracker.Get(_alice.EmployeeId)?.Activity == activity), $"alice's live state is {activity}");

    /// <summary>The account's one call of <paramref name="direction"/> once the log holds its legs (and its end).</summary>
    private async Task<Call> LoggedAsync(CallDirection direction, int legs, bool ended = true)
    {
        Call? found = null;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await _host.DbAsync(_owner.AccountId);
            found = await db.Calls.Include(c => c.Legs).AsNoTracking().SingleOrDefaultAsync(c => c.Direction == direction);
            return found is not null && found.Legs.Count == legs && (!ended || (found.EndedUtc is not null && found.Legs.All(l => l.EndedUtc is not null)));
        }, $"the {direction} call with {legs} legs in the log", TimeSpan.FromSeconds(20));
        return found!;
    }
}
