using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>
/// Issue 10, items 2 and 3: a hub connection outlives neither its session nor its rights, and presence goes only to
/// those who may open the Employees list.
/// </summary>
public sealed class HubSecurityTests(TelephonyAppFixture app) : IClassFixture<TelephonyAppFixture>
{
    private const string Password = "secret123";

    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private sealed class Listener : IAsyncDisposable
    {
        private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<SipStatusEvent> _events = [];

        public Listener(HubConnection connection)
        {
            Connection = connection;
            connection.Closed += e => { _closed.TrySetResult(e); return Task.CompletedTask; };
            connection.On<SipStatusEvent>(TelephonyHub.SipStatusMethod, e => { lock (_events) { _events.Add(e); } });
        }

        public HubConnection Connection { get; }

        public Task Closed => _closed.Task;

        public IReadOnlyList<SipStatusEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private async Task<Listener> ConnectAsync(string login)
    {
        var cookies = await HttpSignIn.SignInAsync(app.BaseUrl, login, Password);
        var listener = new Listener(new HubConnectionBuilder().WithUrl(app.BaseUrl + TelephonyHub.Path, o => o.Cookies = cookies).Build());
        await listener.Connection.StartAsync();
        return listener;
    }

    private async Task<(CallerContext Owner, string OwnerLogin, CallerContext Employee, string Login)> ArrangeAsync(CommonSections sections)
    {
        var (owner, email) = await app.SignUpAsync(Password);
        var employee = await app.AddEmployeeAsync(owner, "olga", Password, sections);
        return (owner, email, employee, await app.LoginOfAsync(employee));
    }

    /// <summary>Registers a phone for a fresh employee of the account; the SIP status event reaches every listener entitled to it.</summary>
    private async Task RegisterPhoneAsync(CallerContext owner)
    {
        var ivan = await app.AddEmployeeAsync(owner, $"ivan{Guid.NewGuid():N}"[..12]);
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, "127.0.0.1", user, password);
        Assert.Equal(200, await phone.RegisterAsync());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Soon;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_receives_no_presence()
    {
        var (owner, ownerLogin, _, login) = await ArrangeAsync(CommonSections.Telephony);
        await using var main = await ConnectAsync(ownerLogin);
        await using var olga = await ConnectAsync(login);

        await RegisterPhoneAsync(owner);
        await WaitForAsync(() => main.Events.Count > 0);
        await Task.Delay(500);

        Assert.NotEmpty(main.Events);
        Assert.All(main.Events, e => Assert.NotNull(e.Device));
        Assert.Empty(olga.Events);
    }

    [Fact]
    public async Task Presence_follows_rights_changed_while_connected()
    {
        var (owner, _, employee, login) = await ArrangeAsync(CommonSections.Employees);
        await using var olga = await ConnectAsync(login);
        await using (var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            await db.Employees.Where(e => e.Id == employee.EmployeeId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CommonSections, CommonSections.None));
        }

        await app.Get<HubConnections>().RevalidateAllAsync();
        await RegisterPhoneAsync(owner);
        await Task.Delay(1000);

        Assert.Empty(olga.Events);
        Assert.Equal(HubConnectionState.Connected, olga.Connection.State);
    }

    [Fact]
    public async Task A_deleted_employees_connection_is_closed_at_once()
    {
        var (owner, _, employee, login) = await ArrangeAsync(CommonSections.Employees);
        await using var olga = await ConnectAsync(login);

        var deleted = await app.Get<EmployeeListService>().DeleteAsync(owner, employee.EmployeeId);

        Assert.True(deleted.Succeeded, deleted.Summary);
        await olga.Closed.WaitAsync(Soon);
    }

    [Fact]
    public async Task A_password_changed_in_the_editor_closes_the_connection_at_once()
    {
        var (owner, _, employee, login) = await ArrangeAsync(CommonSections.Employees);
        await using var olga = await ConnectAsync(login);
        var editor = app.Get<EmployeeEditorService>();
        var form = (await editor.GetAsync(owner, employee.EmployeeId)).Value!.Form;
        form.Password = "another-secret-1";

        var saved = await editor.UpdateAsync(owner, employee.EmployeeId, form);

        Assert.True(saved.Succeeded, saved.Summary);
        await olga.Closed.WaitAsync(Soon);
    }

    [Fact]
    public async Task A_session_ended_some_other_way_is_closed_by_the_periodic_revalidation()
    {
        var (owner, _, employee, login) = await ArrangeAsync(CommonSections.None);
        await using var olga = await ConnectAsync(login);
        await using (var db = await app.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId))
        {
            await db.Employees.Where(e => e.Id == employee.EmployeeId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.SecurityStamp, Guid.NewGuid().ToString("N")));
        }

        await app.Get<HubConnections>().RevalidateAllAsync();

        await olga.Closed.WaitAsync(Soon);
    }
}
