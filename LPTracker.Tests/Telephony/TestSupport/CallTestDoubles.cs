using System.Collections.Concurrent;
using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using LPTracker.Telephony.Calls;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>A CRM with one account (id 1): numbers → ring plans, employees, caller IDs — what Core's RingPlanQuery
/// returns from the database, kept in memory so the SIP tests need no console.</summary>
internal sealed class InMemoryCallDirectory : ICallDirectory
{
    public ConcurrentDictionary<string, RingPlanData> Plans { get; } = new();

    public ConcurrentDictionary<int, RingEmployee> Employees { get; } = new();

    public ConcurrentDictionary<int, string> DisplayedNumbers { get; } = new();

    public ConcurrentDictionary<int, string> SingleNumbers { get; } = new();

    /// <summary>Adds a number of project 1 ringing these employees (also added to <see cref="Employees"/>).</summary>
    public void AddNumber(string e164, RingMode mode, int timeoutSeconds, params RingEmployee[] employees)
    {
        Plans[e164] = new RingPlanData(1, 1, e164, mode, timeoutSeconds, employees);
        foreach (var e in employees)
        {
            Employees[e.EmployeeId] = e;
        }
    }

    public static RingEmployee Sip(int id, string user, bool hide = false) => new(id, CallReceivingMethod.Sip, user, null, null, hide);

    public Task<RingPlanData?> FindDialledAsync(string dialledE164, CancellationToken cancellationToken) =>
        Task.FromResult(Plans.GetValueOrDefault(dialledE164));

    public Task<RingEmployee?> FindEmployeeAsync(int accountId, int employeeId, CancellationToken cancellationToken) =>
        Task.FromResult(accountId == 1 ? Employees.GetValueOrDefault(employeeId) : null);

    public Task<bool> IsVirtualNumberAsync(string e164, CancellationToken cancellationToken) => Task.FromResult(Plans.ContainsKey(e164));

    public Task<string?> CallerIdAsync(int accountId, CallKind kind, int? employeeId, int? projectId, CancellationToken cancellationToken) =>
        Task.FromResult(CallerIdRules.Choose(kind, employeeId is { } e ? DisplayedNumbers.GetValueOrDefault(e) : null,
            projectId is { } p ? SingleNumbers.GetValueOrDefault(p) : null));
}

/// <summary>Records call events as readable lines, in the order the B2BUA reported them.</summary>
internal sealed class RecordingCallEvents : ICallEvents
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ConcurrentQueue<object> Events { get; } = new();

    public void CallStarted(CallStartedEvent e) => Add(e, $"started {e.Direction} {e.ClientNumber}->{e.DialledNumber}");

    public void LegRinging(CallLegEvent e) => Add(e, $"ringing {e.EmployeeId}");

    public void LegAnswered(CallLegEvent e) => Add(e, $"answered {e.EmployeeId}");

    public void LegEnded(CallLegEndedEvent e) => Add(e, $"leg ended {e.EmployeeId} {e.Outcome}");

    public void CallEnded(CallEndedEvent e) => Add(e, $"ended {e.Outcome} by {e.AnsweredByEmployeeId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");

    /// <summary>Waits until a line containing <paramref name="text"/> was recorded.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no call event '{text}' within {timeout.TotalSeconds} s; got:\n{string.Join("\n", Lines)}");
            }

            await Task.Delay(50);
        }
    }

    private void Add(object e, string line)
    {
        Events.Enqueue(e);
        Lines.Enqueue(line);
    }
}
