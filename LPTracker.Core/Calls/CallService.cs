using LPTracker.Core.Numbers;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Calls;

/// <summary>
/// Click-to-call, the entry point of every "Call" button (Перезвонить in the call log, the contact card): checks the
/// caller's rights, normalises the number to E.164 with <see cref="PhoneRules"/>, then asks the PBX
/// (<see cref="IClickToCallDialer"/>) to ring the employee's phone first and the client second.
/// </summary>
public sealed class CallService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    CallLogService log,
    IServiceProvider services,
    IStringLocalizer<CallService> l)
{
    /// <summary>Calls <paramref name="number"/> for <paramref name="projectId"/>; the value is the new call's id.</summary>
    public async Task<OperationResult<Guid>> ClickToCallAsync(CallerContext caller, string? number, int projectId, CancellationToken ct = default)
    {
        if (await access.GetProfileAsync(caller, ct) is not { } profile)
        {
            return OperationResult<Guid>.Fail("", l["Access.Denied"]);
        }

        await using (var db = await dbFactory.ForTenantAsync(caller.AccountId, ct))
        {
            if (!await AccessService.VisibleProjectSet(db, caller.EmployeeId, profile.IsMain).AnyAsync(p => p.Id == projectId, ct))
            {
                return OperationResult<Guid>.Fail("", l["Access.Denied"]);
            }
        }

        if (PhoneRules.Normalize(number) is not { } e164)
        {
            return OperationResult<Guid>.Fail("Number", l["Calls.NumberInvalid"]);
        }

        return await DialAsync(caller, projectId, e164, ct);
    }

    /// <summary>
    /// «Перезвонить»: calls back the client of a logged call the caller may see, in the call's project (or the caller's
    /// current one). The number is looked up here, so an employee who hides client numbers can call back too.
    /// </summary>
    public async Task<OperationResult<Guid>> CallBackAsync(CallerContext caller, Guid callId, CancellationToken ct = default)
    {
        if (await log.ViewerAsync(caller, ct) is not { } viewer)
        {
            return OperationResult<Guid>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var call = await CallLogService.VisibleCalls(db, viewer).Where(c => c.Id == callId)
            .Select(c => new { c.ClientNumber, c.ProjectId }).SingleOrDefaultAsync(ct);
        if (call is null)
        {
            return OperationResult<Guid>.Fail("", l["Calls.NotFound"]);
        }

        if (call.ClientNumber is null)
        {
            return OperationResult<Guid>.Fail("", l["Calls.NoNumber"]);
        }

        if ((call.ProjectId ?? viewer.CurrentProjectId) is not { } projectId)
        {
            return OperationResult<Guid>.Fail("", l["Calls.NoProject"]);
        }

        return await ClickToCallAsync(caller, call.ClientNumber, projectId, ct);
    }

    private async Task<OperationResult<Guid>> DialAsync(CallerContext caller, int projectId, string e164, CancellationToken ct)
    {
        // The telephony module registers the dialer; a console running without it says so instead of pretending.
        if (services.GetService<IClickToCallDialer>() is not { } dialer)
        {
            return OperationResult<Guid>.Fail("", l["Calls.Start.TelephonyOff"]);
        }

        var (result, callId) = await dialer.StartAsync(caller.AccountId, caller.EmployeeId, projectId, e164, ct);
        return result == ClickToCallStart.Started
            ? OperationResult<Guid>.Ok(callId ?? Guid.Empty)
            : OperationResult<Guid>.Fail("", l[$"Calls.Start.{result}"]);
    }
}
