using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Tests.Core.Calls;

/// <summary>
/// A <see cref="CoreTestHost"/> with the call event pump running, and the B2BUA's side of <see cref="ICallEvents"/>
/// played by hand: the tests report calls exactly as the telephony does, through Core's real implementation.
/// </summary>
internal sealed class CallsTestHost : IAsyncDisposable
{
    private CallsTestHost(CoreTestHost core) => Core = core;

    public CoreTestHost Core { get; }

    public ICallEvents Events => Core.Get<ICallEvents>();

    public DateTime Now => Core.Time.GetUtcNow().UtcDateTime;

    public static async Task<CallsTestHost> StartAsync(Action<IHostApplicationBuilder>? configure = null)
    {
        var core = await CoreTestHost.StartAsync(configure);
        foreach (var service in core.Services.GetServices<IHostedService>().OfType<CallEventPump>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new CallsTestHost(core);
    }

    /// <summary>An account's main account and its first project's id.</summary>
    public async Task<(CallerContext Owner, int ProjectId)> SignUpAsync()
    {
        var owner = await Core.SignUpAsync();
        await using var db = await DbAsync(owner.AccountId);
        return (owner, await db.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync());
    }

    public Task<CallerContext> AddEmployeeAsync(CallerContext owner, string name, CommonSections sections = CommonSections.None) =>
        Core.AddEmployeeAsync(owner, name, sections);

    /// <summary>Changes an employee's call settings as the editor would.</summary>
    public async Task SetAsync(CallerContext employee, Action<Employee> change)
    {
        await using var db = await DbAsync(employee.AccountId);
        change(await db.Employees.SingleAsync(e => e.Id == employee.EmployeeId));
        await db.SaveChangesAsync();
    }

    public Task<LptrackerDbContext> DbAsync(int accountId) => Core.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId);

    /// <summary>An inbound call from <paramref name="client"/> to a project; returns its id.</summary>
    public Guid Start(CallerContext owner, int projectId, string client = "+79161234567", string dialled = "+78123893298")
    {
        var id = Guid.NewGuid();
        Events.CallStarted(new CallStartedEvent(id, owner.AccountId, projectId, CallDirection.Inbound, client, dialled, null, Now));
        return id;
    }

    /// <summary>A leg of the call rings at <paramref name="employee"/>; returns the leg's id.</summary>
    public Guid Ring(Guid callId, CallerContext employee, int projectId, string client = "+79161234567", string dialled = "+78123893298")
    {
        var leg = Guid.NewGuid();
        Events.LegRinging(new CallLegEvent(callId, leg, employee.AccountId, projectId, employee.EmployeeId, client, dialled, Now));
        return leg;
    }

    public void Answer(Guid callId, Guid legId, CallerContext employee, int projectId) =>
        Events.LegAnswered(new CallLegEvent(callId, legId, employee.AccountId, projectId, employee.EmployeeId, "+79161234567", "+78123893298", Now));

    public void EndLeg(Guid callId, Guid legId, CallerContext employee, CallOutcome outcome) =>
        Events.LegEnded(new CallLegEndedEvent(callId, legId, employee.AccountId, employee.EmployeeId, outcome, Now));

    public void End(Guid callId, CallerContext owner, CallOutcome outcome, CallerContext? answeredBy = null) =>
        Events.CallEnded(new CallEndedEvent(callId, owner.AccountId, outcome, answeredBy?.EmployeeId, Now));

    /// <summary>Waits until the log writer has stored the call with the given outcome (null = any, just stored).</summary>
    public Task LoggedAsync(Guid callId, CallerContext owner, Func<Call, bool>? done = null) =>
        Eventually.TrueAsync(async () =>
        {
            await using var db = await DbAsync(owner.AccountId);
            var call = await db.Calls.Include(c => c.Legs).AsNoTracking().SingleOrDefaultAsync(c => c.Id == callId);
            return call is not null && (done?.Invoke(call) ?? true);
        }, $"call {callId} in the log");

    /// <summary>Records the pop-up changes one employee receives.</summary>
    public PopUpRecorder RecordPopUps(CallerContext employee) => new(Core.Get<KeyedNotifier<PopUpChange>>(), employee.EmployeeId);

    public ValueTask DisposeAsync() => Core.DisposeAsync();
}

/// <summary>The pop-up changes delivered to one employee, in order.</summary>
internal sealed class PopUpRecorder : IDisposable
{
    private readonly IDisposable _subscription;
    private readonly List<PopUpChange> _changes = [];

    public PopUpRecorder(KeyedNotifier<PopUpChange> notifier, int employeeId) =>
        _subscription = notifier.Subscribe(employeeId, c =>
        {
            lock (_changes)
            {
                _changes.Add(c);
            }
        });

    public IReadOnlyList<PopUpChange> Changes
    {
        get
        {
            lock (_changes)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> changes have arrived.</summary>
    public async Task<IReadOnlyList<PopUpChange>> WaitAsync(int count)
    {
        await Eventually.TrueAsync(() => Task.FromResult(Changes.Count >= count), $"{count} pop-up changes");
        return Changes;
    }

    public void Dispose() => _subscription.Dispose();
}
