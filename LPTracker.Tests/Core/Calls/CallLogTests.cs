using LPTracker.Core.Calls;
using LPTracker.Core.Permissions;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Tests.Core.Calls;

public sealed class CallLogTests : IAsyncLifetime
{
    private CallsTestHost _host = default!;

    public async Task InitializeAsync() => _host = await CallsTestHost.StartAsync(
        b => b.Configuration["Calls:RetentionDays"] = "30");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CallLogService Log => _host.Core.Get<CallLogService>();

    [Fact]
    public async Task A_call_is_logged_with_its_legs_who_answered_and_the_outcomes()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var olga = await _host.AddEmployeeAsync(owner, "olga");
        var call = _host.Start(owner, project);
        var ivanLeg = _host.Ring(call, ivan, project);
        var olgaLeg = _host.Ring(call, olga, project);
        _host.Core.Time.Advance(TimeSpan.FromSeconds(4));
        _host.Answer(call, olgaLeg, olga, project);
        _host.EndLeg(call, ivanLeg, ivan, CallOutcome.Cancelled);
        _host.Core.Time.Advance(TimeSpan.FromSeconds(60));

        _host.End(call, owner, CallOutcome.Answered, olga);

        await _host.LoggedAsync(call, owner, c => c.Outcome is not null);
        var row = Assert.Single((await Log.LoadAsync(owner, new CallLogQuery())).Value!.Rows);
        Assert.Equal((CallOutcome.Answered, "olga", false), (row.Outcome!.Value, row.AnsweredBy, row.IsMissed));
        Assert.Equal(row.StartedUtc.AddSeconds(4), row.AnsweredUtc);
        Assert.Equal(row.StartedUtc.AddSeconds(64), row.EndedUtc);
        Assert.Equal(
            [("ivan", CallOutcome.Cancelled), ("olga", CallOutcome.Answered)],
            row.Legs.Select(l => (l.EmployeeName!, l.Outcome!.Value)).Order());
    }

    [Fact]
    public async Task A_call_still_ringing_shows_without_an_outcome()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var call = _host.Start(owner, project);

        _host.Ring(call, ivan, project);

        await _host.LoggedAsync(call, owner, c => c.Legs.Count == 1);
        var row = Assert.Single((await Log.LoadAsync(owner, new CallLogQuery())).Value!.Rows);
        Assert.Null(row.Outcome);
        Assert.Null(Assert.Single(row.Legs).EndedUtc);
    }

    [Fact]
    public async Task The_missed_filter_keeps_inbound_calls_nobody_answered()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var answered = _host.Start(owner, project);
        _host.Answer(answered, _host.Ring(answered, ivan, project), ivan, project);
        _host.End(answered, owner, CallOutcome.Answered, ivan);
        var missed = _host.Start(owner, project, client: "+79160000001");
        _host.Ring(missed, ivan, project);
        _host.End(missed, owner, CallOutcome.CallerHungUp);
        var nobody = _host.Start(owner, project, client: "+79160000002");
        _host.End(nobody, owner, CallOutcome.NobodyWorking);

        await _host.LoggedAsync(nobody, owner, c => c.Outcome is not null);
        var rows = (await Log.LoadAsync(owner, new CallLogQuery(MissedOnly: true))).Value!.Rows;

        Assert.Equal(["+79160000001", "+79160000002"], rows.Select(r => r.ClientNumber!).Order());
        Assert.All(rows, r => Assert.True(r.IsMissed));
    }

    [Fact]
    public async Task Without_the_telephony_section_an_employee_sees_only_their_own_calls()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var olga = await _host.AddEmployeeAsync(owner, "olga");
        var boss = await _host.AddEmployeeAsync(owner, "boss", CommonSections.Telephony);
        var ivans = _host.Start(owner, project);
        _host.Ring(ivans, ivan, project);
        var olgas = _host.Start(owner, project);
        _host.Ring(olgas, olga, project);

        await _host.LoggedAsync(olgas, owner, c => c.Legs.Count == 1);
        await _host.LoggedAsync(ivans, owner, c => c.Legs.Count == 1);

        var mine = (await Log.LoadAsync(ivan, new CallLogQuery())).Value!;
        var all = (await Log.LoadAsync(boss, new CallLogQuery())).Value!;
        Assert.Equal((false, ivans), (mine.AllCalls, Assert.Single(mine.Rows).Id));
        Assert.Equal((true, 2), (all.AllCalls, all.TotalCount));
    }

    [Fact]
    public async Task An_employee_who_hides_client_numbers_never_receives_them_from_the_log()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan", CommonSections.Telephony);
        await _host.SetAsync(ivan, e => e.HideClientNumber = true);
        var call = _host.Start(owner, project);

        await _host.LoggedAsync(call, owner);
        var row = Assert.Single((await Log.LoadAsync(ivan, new CallLogQuery())).Value!.Rows);

        Assert.Equal((null, true), (row.ClientNumber, row.NumberHidden));
    }

    [Fact]
    public async Task One_account_never_sees_another_s_calls()
    {
        var (owner, project) = await _host.SignUpAsync();
        var (other, _) = await _host.SignUpAsync();
        var call = _host.Start(owner, project);

        await _host.LoggedAsync(call, owner);
        var page = (await Log.LoadAsync(other, new CallLogQuery())).Value!;

        Assert.Equal(0, page.TotalCount);
    }

    [Fact]
    public async Task Retention_deletes_calls_older_than_the_configured_days_with_their_legs()
    {
        var (owner, project) = await _host.SignUpAsync();
        var ivan = await _host.AddEmployeeAsync(owner, "ivan");
        var old = _host.Start(owner, project);
        _host.Ring(old, ivan, project);
        _host.End(old, owner, CallOutcome.NoAnswer);
        _host.Core.Time.Advance(TimeSpan.FromDays(29));
        var recent = _host.Start(owner, project);
        await _host.LoggedAsync(recent, owner);
        _host.Core.Time.Advance(TimeSpan.FromDays(2));

        var deleted = await _host.Core.Get<CallLogRetention>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        await using var db = await _host.DbAsync(owner.AccountId);
        Assert.Equal([recent], db.Calls.Select(c => c.Id).ToList());
        Assert.Empty(db.CallLegs.ToList());
    }
}
