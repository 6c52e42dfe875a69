using LPTracker.Core.Calls;
using LPTracker.Core.Numbers;
using LPTracker.Telephony.Calls;

namespace LPTracker.Telephony.Integration;

/// <summary>The B2BUA's reads from the console's database: ring plans, employees, caller IDs, our own numbers.</summary>
public sealed class DbCallDirectory(RingPlanQuery ringPlans, CallerIdService callerIds) : ICallDirectory
{
    /// <inheritdoc />
    public Task<RingPlanData?> FindDialledAsync(string dialledE164, CancellationToken cancellationToken) =>
        ringPlans.FindAsync(dialledE164, cancellationToken);

    /// <inheritdoc />
    public Task<RingEmployee?> FindEmployeeAsync(int accountId, int employeeId, CancellationToken cancellationToken) =>
        ringPlans.FindEmployeeAsync(accountId, employeeId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsVirtualNumberAsync(string e164, CancellationToken cancellationToken) =>
        ringPlans.IsVirtualNumberAsync(e164, cancellationToken);

    /// <inheritdoc />
    public Task<string?> CallerIdAsync(int accountId, CallKind kind, int? employeeId, int? projectId, CancellationToken cancellationToken) =>
        callerIds.ResolveAsync(accountId, kind, employeeId, projectId, cancellationToken);
}
