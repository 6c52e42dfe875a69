using System.Globalization;
using LPTracker.Core.Audit;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Telephony.Bans;

/// <summary>
/// «Снять блокировку»: lifts a ban the caller may see and lift (<see cref="SipBanScope"/>) and writes an audit record
/// per employee the ban named, so each one's history shows who let their phone in again.
/// </summary>
public sealed class LiftSipBan(
    IDbContextFactory<LptrackerDbContext> dbFactory, AccessService access, ISipBanRegistry registry, IStringLocalizer<LiftSipBan> l)
{
    public async Task<OperationResult> LiftAsync(CallerContext caller, string address, string? user, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        // Another account's ban reads as "not found": its existence is not this account's business.
        var ban = registry.Active().FirstOrDefault(b => b.Address == address && b.User == user);
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var row = ban is null ? null : (await SipBanScope.RowsAsync(db, profile, [ban], ct)).SingleOrDefault();
        if (row is null)
        {
            return OperationResult.Fail("", l["SipBans.NotFound"]);
        }

        if (!row.CanLift)
        {
            return OperationResult.Fail("", l["SipBans.NotYours"]);
        }

        if (!registry.Lift(address, user))
        {
            return OperationResult.Fail("", l["SipBans.NotFound"]);
        }

        var until = row.UntilUtc.ToString("u", CultureInfo.InvariantCulture);
        foreach (var employee in row.Employees)
        {
            ManualAudit.Add(db, caller.AccountId, AuditAction.SipBanLifted, employee.EmployeeId, employee.Name,
                new AuditChange("SipBanAddress", address, null),
                new AuditChange("SipBanReason", row.Reason, null),
                new AuditChange("SipBanUntil", until, null));
        }

        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }
}
