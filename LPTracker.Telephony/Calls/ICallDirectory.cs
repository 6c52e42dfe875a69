using LPTracker.Core.Calls;
using LPTracker.Core.Numbers;

namespace LPTracker.Telephony.Calls;

/// <summary>What the B2BUA reads from the CRM: the ring plan of a dialled number, one employee, caller IDs and which
/// numbers are ours. The console supplies a database-backed one; without it no number is known (every trunk call → 404).</summary>
public interface ICallDirectory
{
    /// <summary>The ring plan for a dialled virtual number (E.164), or null when it is no account's number.</summary>
    Task<RingPlanData?> FindDialledAsync(string dialledE164, CancellationToken cancellationToken);

    /// <summary>One employee of an account, or null.</summary>
    Task<RingEmployee?> FindEmployeeAsync(int accountId, int employeeId, CancellationToken cancellationToken);

    /// <summary>True for any account's virtual number (the loop guard).</summary>
    Task<bool> IsVirtualNumberAsync(string e164, CancellationToken cancellationToken);

    /// <summary>The caller ID (E.164) of a call out, or null when none is configured.</summary>
    Task<string?> CallerIdAsync(int accountId, CallKind kind, int? employeeId, int? projectId, CancellationToken cancellationToken);
}

/// <summary>The directory of a PBX with no CRM behind it: no numbers, no employees.</summary>
public sealed class EmptyCallDirectory : ICallDirectory
{
    /// <inheritdoc />
    public Task<RingPlanData?> FindDialledAsync(string dialledE164, CancellationToken cancellationToken) => Task.FromResult<RingPlanData?>(null);

    /// <inheritdoc />
    public Task<RingEmployee?> FindEmployeeAsync(int accountId, int employeeId, CancellationToken cancellationToken) =>
        Task.FromResult<RingEmployee?>(null);

    /// <inheritdoc />
    public Task<bool> IsVirtualNumberAsync(string e164, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <inheritdoc />
    public Task<string?> CallerIdAsync(int accountId, CallKind kind, int? employeeId, int? projectId, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}

/// <summary>Call events nobody listens to: the default until the console registers its own.</summary>
public sealed class NullCallEvents : ICallEvents
{
    /// <inheritdoc />
    public void CallStarted(CallStartedEvent e)
    {
    }

    /// <inheritdoc />
    public void LegRinging(CallLegEvent e)
    {
    }

    /// <inheritdoc />
    public void LegAnswered(CallLegEvent e)
    {
    }

    /// <inheritdoc />
    public void LegEnded(CallLegEndedEvent e)
    {
    }

    /// <inheritdoc />
    public void CallEnded(CallEndedEvent e)
    {
    }
}
