using LPTracker.Core.Crm;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Contacts;

/// <summary>A contact found by its phone number.</summary>
public sealed record ContactMatch(int Id, int ProjectId, string Name, string? Company);

/// <summary>
/// Finds the contact a phone number belongs to, for the incoming-call pop-up and click-to-call: the exact E.164
/// number first, then the last ten digits (a trunk may deliver +7 numbers as 8… or without the country code).
/// </summary>
public sealed class ContactLookup(IDbContextFactory<LptrackerDbContext> dbFactory, CrmAccess access)
{
    /// <summary>The account's contact with this number (lowest id when several projects hold it), or null.</summary>
    public async Task<ContactMatch?> FindByPhoneAsync(int accountId, string e164, CancellationToken ct) =>
        await FindAsync(accountId, e164, null, ct);

    /// <summary>
    /// As <see cref="FindByPhoneAsync(int, string, CancellationToken)"/>, limited to projects in which the caller
    /// holds the Contacts section: a pop-up never opens a card the employee may not see.
    /// </summary>
    public async Task<ContactMatch?> FindByPhoneAsync(CallerContext caller, string e164, CancellationToken ct)
    {
        var projects = await access.ProjectsWithAsync(caller, ProjectSections.Contacts, ct);
        return projects.Count == 0 ? null : await FindAsync(caller.AccountId, e164, projects, ct);
    }

    private async Task<ContactMatch?> FindAsync(int accountId, string number, IReadOnlyList<int>? projects, CancellationToken ct)
    {
        var e164 = PhoneRules.Normalize(number) ?? number;
        var tail = ContactPhone.TailOf(e164);
        if (tail.Length < 7)
        {
            return null;
        }

        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        var phones = db.Set<ContactPhone>().AsNoTracking().Where(p => projects == null || projects.Contains(p.ProjectId));
        var hit = await phones.Where(p => p.E164 == e164).OrderBy(p => p.ContactId).Select(p => (int?)p.ContactId).FirstOrDefaultAsync(ct)
            ?? (tail.Length == 10
                ? await phones.Where(p => p.Tail == tail).OrderBy(p => p.ContactId).Select(p => (int?)p.ContactId).FirstOrDefaultAsync(ct)
                : null);
        return hit is not { } id
            ? null
            : await db.Contacts.AsNoTracking().Where(c => c.Id == id)
                .Select(c => new ContactMatch(c.Id, c.ProjectId, c.Name, c.Company)).SingleOrDefaultAsync(ct);
    }
}
