using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Leads;

/// <summary>Soft-deletes a lead the caller may see: the section of its view and Delete data.</summary>
public sealed class DeleteLead(IDbContextFactory<LptrackerDbContext> dbFactory, TimeProvider time, IStringLocalizer<DeleteLead> l)
{
    public async Task<OperationResult> DeleteAsync(CallerContext caller, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var access = await LeadAccess.OpenAsync(db, caller, id, time.GetUtcNow().UtcDateTime, ct, tracked: true);
        if (access.Error is { } error)
        {
            return OperationResult.Fail("", l[error]);
        }

        if (!access.Scope!.Has(EmployeePermissions.DeleteData))
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        access.Lead!.IsDeleted = true;
        access.Lead.Version = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }
}
