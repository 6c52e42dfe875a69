using LPTracker.Core.Crm;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Contacts;

/// <summary>Deletes a contact with its phones and e-mails: the Contacts section of its project and Delete data.</summary>
public sealed class DeleteContact(IDbContextFactory<LptrackerDbContext> dbFactory, IStringLocalizer<DeleteContact> l)
{
    public async Task<OperationResult> DeleteAsync(CallerContext caller, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return OperationResult.Fail("", l["Contact.NotFound"]);
        }

        if (await CrmAccess.RequireAsync(db, caller, contact.ProjectId, ProjectSections.Contacts, EmployeePermissions.DeleteData, ct) is null)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        db.Contacts.Remove(contact);
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }
}
