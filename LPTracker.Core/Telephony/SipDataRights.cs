using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Telephony;

/// <summary>
/// Who may see or hand out an employee's SIP data: viewing needs the Employees section; issuing, replacing, revealing
/// the password or creating a provisioning link (<c>acting</c>) also needs every right the employee holds, because SIP
/// data is a credential (<see cref="EmployeeRankRules"/>). The main account's SIP data is the main account's own business.
/// </summary>
public sealed class SipDataRights(AccessService access, EmployeeRankRules rankRules, IStringLocalizer<SipDataRights> l)
{
    /// <summary>Null when <paramref name="caller"/> may; otherwise the refusal. <paramref name="db"/> is the caller's tenant context.</summary>
    public async Task<OperationResult?> CheckAsync(LptrackerDbContext db, CallerContext caller, int employeeId, bool acting, CancellationToken ct)
    {
        var profile = await access.RequireAsync(caller, CommonSections.Employees, ct);
        if (profile is null)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        var isMain = await db.Employees.Where(e => e.Id == employeeId).Select(e => (bool?)e.IsMain).SingleOrDefaultAsync(ct);
        return isMain switch
        {
            null => OperationResult.Fail("", l["Employee.NotFound"]),
            true when !profile.IsMain => OperationResult.Fail("", l["Employee.MainOnlyByMain"]),
            _ when acting && await rankRules.CheckAsync(db, profile, employeeId, ct) is { } denied => OperationResult.Fail("", denied),
            _ => null,
        };
    }
}
