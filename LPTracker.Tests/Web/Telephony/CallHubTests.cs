using LPTracker.Core.Calls;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>Call events on <c>/hubs/telephony</c>: a pop-up reaches the ringing employee's own connections only.</summary>
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

    private async Task<HubConnection> ConnectAsync(string login)
    {
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, login, "secret123");
        var connection = new HubConnectionBuilder().WithUrl(app.BaseUrl + TelephonyHub.Path, o => o.Cookies = cookies).Build();
        await connection.StartAsync();
        return connection;
    }
}
