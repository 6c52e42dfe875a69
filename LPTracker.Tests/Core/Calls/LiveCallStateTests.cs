using LPTracker.Core.Calls;
using LPTracker.Core.Live;
using LPTracker.Tests.Infrastructure;

namespace LPTracker.Tests.Core.Calls;

public sealed class LiveCallStateTests : IAsyncLifetime
{
    private CallsTestHost _host = default!;

    public async Task InitializeAsync() => _host = await CallsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private LiveCallTracker Tracker => _host.Core.Get<LiveCallTracker>();

    [Fact]
    public async Task An_employee_goes_from_ringing_to_talking_to_idle()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var call = _host.Start(owner, project);

        var leg = _host.Ring(call, ivan, project);
        var ringing = Tracker.Get(ivan.EmployeeId);
        _host.Core.Time.Advance(TimeSpan.FromSeconds(5));
        _host.Answer(call, leg, ivan, project);
        var talking = Tracker.Get(ivan.EmployeeId);
        _host.End(call, owner, CallOutcome.Answered, ivan);

        Assert.Equal(CallActivity.Ringing, ringing?.Activity);
        Assert.Equal(CallActivity.Talking, talking?.Activity);
        Assert.Equal(_host.Now, talking?.SinceUtc);
        Assert.Null(Tracker.Get(ivan.EmployeeId));
    }

    [Fact]
    public async Task Talking_employees_are_counted_per_account()
    {
        var (owner, project) = await _host.SignUpAsync();
        var (other, otherProject) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var olga = await _host.AddEmployeeAsync(owner, "olga");
        var petr = await _host.AddEmployeeAsync(other, "petr");
        var call = _host.Start(owner, project);
        _host.Answer(call, _host.Ring(call, ivan, project), ivan, project);
        _host.Ring(_host.Start(owner, project), olga, project);
        var otherCall = _host.Start(other, otherProject);
        _host.Answer(otherCall, _host.Ring(otherCall, petr, otherProject), petr, otherProject);

        Assert.Equal([ivan.EmployeeId], Tracker.TalkingIn(owner.AccountId));
    }

    [Fact]
    public async Task State_changes_reach_the_account_s_open_lists()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var changes = new List<EmployeeChange>();
        using var _ = _host.Core.Get<ChangeNotifier>().Subscribe(owner.AccountId, c =>
        {
            lock (changes)
            {
                changes.Add(c);
            }
        });
        var call = _host.Start(owner, project);

        var leg = _host.Ring(call, ivan, project);
        _host.Answer(call, leg, ivan, project);
        _host.End(call, owner, CallOutcome.Answered, ivan);

        await Eventually.TrueAsync(() => Task.FromResult(changes.Count >= 3), "three call state changes");
        Assert.All(changes, c => Assert.Equal((ivan.EmployeeId, EmployeeChangeKind.CallState), (c.EmployeeId!.Value, c.Kind)));
    }
}
