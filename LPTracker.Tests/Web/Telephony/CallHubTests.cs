using LPTracker.Core.Calls;
using LPTracker.Core.Contacts;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>Call events on <c>/hubs/telephony</c>: a pop-up reaches the ringing employee's own connections only; live
/// call state reaches those who may open the Employees list, in the account, and nobody else.</summary>
public sealed class CallHubTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    [Fact]
    public async Task The_incoming_call_goes_to_the_ringing_employee_and_not_to_a_colleague()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan", "secret123");
        var olga = await app.AddEmployeeAsync(owner, "olga", "secret123");
        await using var ivans = await ConnectAsync(await app.LoginOfAsync(ivan));
        await using var olgas = await ConnectAsync(await app.LoginOfAsync(olga));
        var received = new TaskCompletionSource<IncomingCallMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<IncomingCallEndedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaked = new List<IncomingCallMessage>();
        ivans.On<IncomingCallMessage>(CallHubBridge.IncomingCallMethod, m => received.TrySetResult(m));
        ivans.On<IncomingCallEndedMessage>(CallHubBridge.IncomingCallEndedMethod, m => ended.TrySetResult(m));
        olgas.On<IncomingCallMessage>(CallHubBridge.IncomingCallMethod, m => { lock (leaked) { leaked.Add(m); } });
        var events = app.Get<ICallEvents>();
        var call = Guid.NewGuid();
        var leg = new CallLegEvent(call, Guid.NewGuid(), owner.AccountId, null, ivan.EmployeeId, "+79161234567", "+78123893298", DateTime.UtcNow);

        events.CallStarted(new CallStartedEvent(call, owner.AccountId, null, CallDirection.Inbound, "+79161234567", "+78123893298", null, DateTime.UtcNow));
        events.LegRinging(leg);
        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        events.LegEnded(new CallLegEndedEvent(call, leg.LegId, owner.AccountId, ivan.EmployeeId, CallOutcome.Cancelled, DateTime.UtcNow));
        var gone = await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((call, "+79161234567"), (message.CallId, message.ClientNumber));
        Assert.Equal(leg.LegId, gone.LegId);
        lock (leaked)
        {
            Assert.Empty(leaked);
        }
    }

    [Fact]
    public async Task Call_state_reaches_those_who_may_see_the_list_and_not_a_colleague_without_it_nor_another_account()
    {
        var (owner, ownerLogin) = await app.SignUpAsync();
        var (_, strangerLogin) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan", "secret123");
        var manager = await app.AddEmployeeAsync(owner, "lena", "secret123", LPTracker.Core.Permissions.CommonSections.Employees);
        var olga = await app.AddEmployeeAsync(owner, "olga", "secret123", LPTracker.Core.Permissions.CommonSections.Telephony);
        var mains = Record(await ConnectAsync(ownerLogin));
        var managers = Record(await ConnectAsync(await app.LoginOfAsync(manager)));
        var olgas = Record(await ConnectAsync(await app.LoginOfAsync(olga)));
        var strangers = Record(await ConnectAsync(strangerLogin));
        var events = app.Get<ICallEvents>();
        var call = Guid.NewGuid();
        var leg = new CallLegEvent(call, Guid.NewGuid(), owner.AccountId, null, ivan.EmployeeId, "+79161234567", "+78123893298", DateTime.UtcNow);

        events.CallStarted(new CallStartedEvent(call, owner.AccountId, null, CallDirection.Inbound, "+79161234567", "+78123893298", null, DateTime.UtcNow));
        events.LegRinging(leg);
        await UntilAsync(() => States(mains).Contains("Ringing") && States(managers).Contains("Ringing"));
        events.LegAnswered(leg);
        await UntilAsync(() => States(mains).Contains("Talking") && States(managers).Contains("Talking"));
        events.CallEnded(new CallEndedEvent(call, owner.AccountId, CallOutcome.Answered, ivan.EmployeeId, DateTime.UtcNow));
        await UntilAsync(() => States(mains).EndsWith("Idle", StringComparison.Ordinal) && States(managers).EndsWith("Idle", StringComparison.Ordinal));
        await Task.Delay(500);

        Assert.Equal("Ringing Talking Idle", States(mains));
        Assert.Equal("Ringing Talking Idle", States(managers));
        Assert.All(Messages(mains), m => Assert.Equal(ivan.EmployeeId, m.EmployeeId));
        Assert.NotNull(Messages(mains)[1].SinceUtc);
        Assert.Empty(Messages(olgas));
        Assert.Empty(Messages(strangers));
        foreach (var (connection, _) in new[] { mains, managers, olgas, strangers })
        {
            await connection.DisposeAsync();
        }
    }

    private static (HubConnection Connection, List<CallStateMessage> Messages) Record(HubConnection connection)
    {
        var messages = new List<CallStateMessage>();
        connection.On<CallStateMessage>(CallHubBridge.CallStateMethod, m => { lock (messages) { messages.Add(m); } });
        return (connection, messages);
    }

    private static List<CallStateMessage> Messages((HubConnection, List<CallStateMessage> Messages) recorder)
    {
        lock (recorder.Messages)
        {
            return [.. recorder.Messages];
        }
    }

    private static string States((HubConnection, List<CallStateMessage> Messages) recorder) =>
        string.Join(' ', Messages(recorder).Select(m => m.State));

    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the call state did not arrive in time");
    }

    [Fact]
    public async Task The_caller_s_contact_goes_only_to_a_ringing_employee_who_may_open_contacts()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan", "secret123");
        var olga = await app.AddEmployeeAsync(owner, "olga", "secret123");
        var project = await GrantAsync(ivan, ProjectSections.Contacts);
        await GrantAsync(olga, ProjectSections.Leads);
        var form = new ContactForm { ProjectId = project, Name = "Пётр Клиентов", Phones = [new() { Number = "+79161234567" }] };
        var contact = (await app.Get<SaveContact>().SaveAsync(owner, form)).Value;
        await using var ivans = await ConnectAsync(await app.LoginOfAsync(ivan));
        await using var olgas = await ConnectAsync(await app.LoginOfAsync(olga));
        var toIvan = new TaskCompletionSource<IncomingCallMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var toOlga = new TaskCompletionSource<IncomingCallMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        ivans.On<IncomingCallMessage>(CallHubBridge.IncomingCallMethod, m => toIvan.TrySetResult(m));
        olgas.On<IncomingCallMessage>(CallHubBridge.IncomingCallMethod, m => toOlga.TrySetResult(m));
        var events = app.Get<ICallEvents>();
        var call = Guid.NewGuid();

        events.CallStarted(new CallStartedEvent(call, owner.AccountId, project, CallDirection.Inbound, "+79161234567", "+78123893298", null, DateTime.UtcNow));
        foreach (var employee in new[] { ivan, olga })
        {
            events.LegRinging(new CallLegEvent(call, Guid.NewGuid(), owner.AccountId, project, employee.EmployeeId, "+79161234567", "+78123893298", DateTime.UtcNow));
        }

        var ivansCard = await toIvan.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var olgasCard = await toOlga.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((contact, "Пётр Клиентов"), (ivansCard.ContactId, ivansCard.ContactName));
        Assert.Equal(((int?)null, (string?)null), (olgasCard.ContactId, olgasCard.ContactName));
        events.CallEnded(new CallEndedEvent(call, owner.AccountId, CallOutcome.CallerHungUp, null, DateTime.UtcNow));
    }

    /// <summary>Gives the employee access to the account's first project with exactly these sections; returns the project.</summary>
    private async Task<int> GrantAsync(CallerContext employee, ProjectSections sections)
    {
        await using var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        var project = await db.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        db.Memberships.Add(new ProjectMembership { AccountId = employee.AccountId, EmployeeId = employee.EmployeeId, ProjectId = project, HasAccess = true, Sections = sections });
        await db.SaveChangesAsync();
        return project;
    }

    private async Task<HubConnection> ConnectAsync(string login)
    {
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, login, "secret123");
        var connection = new HubConnectionBuilder().WithUrl(app.BaseUrl + TelephonyHub.Path, o => o.Cookies = cookies).Build();
        await connection.StartAsync();
        return connection;
    }
}
