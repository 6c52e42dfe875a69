namespace LPTracker.Core.Calls;

/// <summary>What an employee is doing on the phone right now.</summary>
public enum CallActivity
{
    /// <summary>Their phone rings («Звонок»).</summary>
    Ringing,

    /// <summary>They are talking («Разговаривает»).</summary>
    Talking,
}

/// <summary>An employee's live call state; <see cref="SinceUtc"/> is when ringing or talking began.</summary>
public sealed record EmployeeCallState(CallActivity Activity, DateTime SinceUtc, Guid CallId);

/// <summary>
/// The live call state of every employee, in memory (it lasts as long as the calls, which live in the B2BUA of this
/// process). Fed by <see cref="CallEventSink"/> on the telephony's threads, read by the Employees list and the hub.
/// An employee with legs in two calls shows the busier one: talking wins over ringing.
/// </summary>
public sealed class LiveCallTracker
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, LiveLeg> _legs = [];
    private readonly Dictionary<int, EmployeeCallState> _byEmployee = [];

    /// <summary>The employee's state, or null when they are not on the phone.</summary>
    public EmployeeCallState? Get(int employeeId)
    {
        lock (_gate)
        {
            return _byEmployee.GetValueOrDefault(employeeId);
        }
    }

    /// <summary>Calls with at least one ringing or talking employee leg on this node (the active-calls gauge).</summary>
    public int ActiveCalls
    {
        get
        {
            lock (_gate)
            {
                return _legs.Values.Select(l => l.CallId).Distinct().Count();
            }
        }
    }

    /// <summary>Employees of the account who are talking now.</summary>
    public IReadOnlyList<int> TalkingIn(int accountId)
    {
        lock (_gate)
        {
            return _legs.Values.Where(l => l.AccountId == accountId && l.Activity == CallActivity.Talking)
                .Select(l => l.EmployeeId).Distinct().ToList();
        }
    }

    /// <summary>A leg rings. Returns true when the employee's visible state changed.</summary>
    internal bool Ringing(CallLegEvent e) => Set(e, CallActivity.Ringing);

    /// <summary>A leg was answered. Returns true when the employee's visible state changed.</summary>
    internal bool Answered(CallLegEvent e) => Set(e, CallActivity.Talking);

    /// <summary>A leg ended. Returns true when the employee's visible state changed.</summary>
    internal bool Ended(Guid legId, int employeeId)
    {
        lock (_gate)
        {
            return _legs.Remove(legId) && Recompute(employeeId);
        }
    }

    /// <summary>A call ended: its legs the B2BUA did not end one by one end now. Returns the employees whose state changed.</summary>
    internal IReadOnlyList<int> CallEnded(Guid callId)
    {
        lock (_gate)
        {
            var left = _legs.Where(kv => kv.Value.CallId == callId).ToList();
            foreach (var (legId, _) in left)
            {
                _legs.Remove(legId);
            }

            return left.Select(kv => kv.Value.EmployeeId).Distinct().Where(Recompute).ToList();
        }
    }

    private bool Set(CallLegEvent e, CallActivity activity)
    {
        lock (_gate)
        {
            var since = _legs.TryGetValue(e.LegId, out var old) && old.Activity == activity ? old.SinceUtc : e.AtUtc;
            _legs[e.LegId] = new LiveLeg(e.CallId, e.AccountId, e.EmployeeId, activity, since);
            return Recompute(e.EmployeeId);
        }
    }

    // Called under the lock.
    private bool Recompute(int employeeId)
    {
        var busiest = _legs.Values.Where(l => l.EmployeeId == employeeId)
            .OrderByDescending(l => l.Activity).ThenBy(l => l.SinceUtc).FirstOrDefault();
        var next = busiest is null ? null : new EmployeeCallState(busiest.Activity, busiest.SinceUtc, busiest.CallId);
        var before = _byEmployee.GetValueOrDefault(employeeId);
        if (next is null)
        {
            _byEmployee.Remove(employeeId);
        }
        else
        {
            _byEmployee[employeeId] = next;
        }

        return before != next;
    }

    private sealed record LiveLeg(Guid CallId, int AccountId, int EmployeeId, CallActivity Activity, DateTime SinceUtc);
}
