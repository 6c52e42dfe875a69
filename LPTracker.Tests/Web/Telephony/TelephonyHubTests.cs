using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The SignalR hub for clients that are not circuits: authorised, and one account's events only.</summary>
public sealed class TelephonyHubTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    private async Task<HubConnection> ConnectAsync(string login)
    {
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, login, "secret123");
        var connection = new HubConnectionBuilder()
            .WithUrl(app.BaseUrl + TelephonyHub.Path, o => o.Cookies = cookies)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    [Fact]
    public async Task A_signed_in_user_receives_the_sip_status_of_its_accounts_employees_and_another_account_receives_nothing()
    {
        var (owner, email) = await app.SignUpAsync();
        var (_, otherEmail) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        await using var mine = await ConnectAsync(email);
        await using var theirs = await ConnectAsync(otherEmail);
        var received = new TaskCompletionSource<SipStatusEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaked = new List<SipStatusEvent>();
        mine.On<SipStatusEvent>(TelephonyHub.SipStatusMethod, e => received.TrySetResult(e));
        theirs.On<SipStatusEvent>(TelephonyHub.SipStatusMethod, e => { lock (leaked) { leaked.Add(e); } });
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);

        Assert.Equal(200, await phone.RegisterAsync());
        var e = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Task.Delay(500);

        Assert.Equal(ivan.EmployeeId, e.EmployeeId);
        Assert.Equal("Online", e.Status);
        Assert.Equal("TestPhone/1.0", e.Device);
        lock (leaked)
        {
            Assert.Empty(leaked);
        }
    }

    [Fact]
    public async Task An_anonymous_client_cannot_connect()
    {
        var connection = new HubConnectionBuilder().WithUrl(app.BaseUrl + TelephonyHub.Path).Build();

        var error = await Record.ExceptionAsync(() => connection.StartAsync());

        Assert.NotNull(error);
        Assert.NotEqual(HubConnectionState.Connected, connection.State);
        await connection.DisposeAsync();
    }
}
