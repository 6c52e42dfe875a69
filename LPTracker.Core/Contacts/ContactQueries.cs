using LPTracker.Core.Crm;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Contacts;

/// <summary>The contacts list with search, the card by id, and the owners a form may choose from.</summary>
public sealed class ContactQueries(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    IStringLocalizer<ContactQueries> l)
{
    /// <summary>One page of the current project's contacts, sorted by name.</summary>
    public async Task<OperationResult<ContactListPage>> ListAsync(CallerContext caller, ContactListQuery query, CancellationToken ct = default)
    {
        if (query.Search is { Length: > Limits.SearchTerm })
        {
            return OperationResult<ContactListPage>.Fail(nameof(query.Search), l["EmployeeList.Error.SearchTooLong", Limits.SearchTerm]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is not { } projectId
            || await CrmAccess.RequireAsync(db, caller, projectId, ProjectSections.Contacts, ct: ct) is null)
        {
            return OperationResult<ContactListPage>.Fail("", l["Access.Denied"]);
        }

        var contacts = Search(db.Contacts.AsNoTracking().Where(c => c.ProjectId == projectId), query.Search);
        var pageSize = Math.Clamp(query.PageSize, 1, ContactListQuery.MaxPageSize);
        var rows = await contacts.OrderBy(c => c.SortName).ThenBy(c => c.Id)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Select(c => new ContactRow(
                c.Id, c.Name, c.Company,
                c.Phones.OrderBy(p => p.Id).Select(p => p.E164).FirstOrDefault(),
                c.Emails.OrderBy(e => e.Id).Select(e => e.Address).FirstOrDefault(),
                db.Employees.Where(e => e.Id == c.OwnerId).Select(e => e.Name).FirstOrDefault()))
            .ToListAsync(ct);
        return OperationResult<ContactListPage>.Ok(new ContactListPage(rows, await contacts.CountAsync(ct), projectId));
    }

    /// <summary>The card of a contact the caller may see; another project's without Contacts there is refused.</summary>
    public async Task<OperationResult<ContactCard>> GetAsync(CallerContext caller, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Phones).Include(c => c.Emails).AsSplitQuery()
            .SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return OperationResult<ContactCard>.Fail("", l["Contact.NotFound"]);
        }

        if (await CrmAccess.RequireAsync(db, caller, contact.ProjectId, ProjectSections.Contacts, ct: ct) is not { } scope)
        {
            return OperationResult<ContactCard>.Fail("", l["Access.Denied"]);
        }

        var project = await db.Projects.Where(p => p.Id == contact.ProjectId).Select(p => p.Name).SingleAsync(ct);
        var owner = await db.Employees.Where(e => e.Id == contact.OwnerId).Select(e => e.Name).FirstOrDefaultAsync(ct);
        return OperationResult<ContactCard>.Ok(new ContactCard(
            contact.Id, contact.ProjectId, project, contact.Name, contact.Company, contact.Comment, contact.OwnerId, owner,
            contact.Phones.OrderBy(p => p.Id).Select(p => new ContactPhoneView(p.E164, p.Kind)).ToList(),
            contact.Emails.OrderBy(e => e.Id).Select(e => e.Address).ToList(),
            contact.CreatedUtc, contact.UpdatedUtc, contact.Version, scope.Has(EmployeePermissions.DeleteData)));
    }

    /// <summary>The employees who may own records of the project: those with access to it and the main account.</summary>
    public async Task<IReadOnlyList<EmployeeChoice>> OwnersAsync(CallerContext caller, int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await CrmAccess.RequireAsync(db, caller, projectId, ProjectSections.None, ct: ct) is null)
        {
            return [];
        }

        return await ProjectEmployees(db, projectId).OrderBy(e => e.SortName).Select(e => new EmployeeChoice(e.Id, e.Name)).ToListAsync(ct);
    }

    /// <summary>The employees of the project: the main account and those with access to it.</summary>
    internal static IQueryable<Employee> ProjectEmployees(LptrackerDbContext db, int projectId) =>
        db.Employees.Where(e => e.IsMain || e.Memberships.Any(m => m.ProjectId == projectId && m.HasAccess));

    /// <summary>Contacts whose stored search text holds the normalised term (Cyrillic case-insensitive).</summary>
    internal static IQueryable<Contact> Search(IQueryable<Contact> contacts, string? search) =>
        EmployeeListSearch.Normalize(search) is { } term ? contacts.Where(c => c.SearchText.Contains(term)) : contacts;
}
