using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees;

/// <summary>
/// The server's rules for the Access and Permissions blocks: rows must be projects of the caller's account; a right
/// may be granted only by someone who holds it (taking one away is allowed); nobody removes their own Employees
/// access.
/// </summary>
public sealed class EmployeeGrantRules(IStringLocalizer<EmployeeGrantRules> l)
{
    /// <summary>The localised reasons the form's rights cannot be saved; empty when they can.</summary>
    public async Task<IReadOnlyList<FieldError>> CheckAsync(
        LptrackerDbContext db, CallerProfile caller, EmployeeForm form, Employee? existing, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var projectNames = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        if (form.Projects.Any(p => !projectNames.ContainsKey(p.ProjectId)))
        {
            // A crafted request naming another account's project: refuse the whole save.
            return [new FieldError(nameof(EmployeeForm.Projects), l["Projects.NotFound"])];
        }

        var mine = await db.Memberships.AsNoTracking().Where(m => m.EmployeeId == caller.EmployeeId).ToListAsync(ct);
        var grants = CallerGrants.For(caller, mine);

        var addedSections = form.CommonSections & ~(existing?.CommonSections ?? CommonSections.None);
        foreach (var section in Flags.Of(addedSections).Where(s => !grants.CanGrant(s)))
        {
            errors.Add(new(nameof(EmployeeForm.CommonSections), l["Employee.CannotGrant", l[$"Section.{section}"]]));
        }

        var addedPermissions = form.Permissions & ~(existing?.Permissions ?? EmployeePermissions.None);
        foreach (var permission in Flags.Of(addedPermissions).Where(p => !grants.CanGrant(p)))
        {
            errors.Add(new(nameof(EmployeeForm.Permissions), l["Employee.CannotGrant", l[$"Permission.{permission}"]]));
        }

        foreach (var row in form.Projects)
        {
            var before = existing?.Memberships.FirstOrDefault(m => m.ProjectId == row.ProjectId);
            var project = projectNames[row.ProjectId];
            if (row.HasAccess && before?.HasAccess != true && !grants.CanGrantAccess(row.ProjectId))
            {
                errors.Add(new(nameof(EmployeeForm.Projects), l["Employee.CannotGrantProjectAccess", project]));
            }

            // "Takes calls" shows the project's callers and contact cards: it ranks as access to the project.
            if (row.TakesCalls && before?.TakesCalls != true && !grants.CanGrantAccess(row.ProjectId))
            {
                errors.Add(new(nameof(EmployeeForm.Projects), l["Employee.CannotGrantTakesCalls", project]));
            }

            var added = row.Sections & ~(before?.Sections ?? ProjectSections.None);
            foreach (var section in Flags.Of(added).Where(s => !grants.CanGrant(row.ProjectId, s)))
            {
                errors.Add(new(nameof(EmployeeForm.Projects), l["Employee.CannotGrantInProject", l[$"ProjectSection.{section}"], project]));
            }
        }

        if (existing is not null && existing.Id == caller.EmployeeId && !caller.IsMain
            && (form.CommonSections & CommonSections.Employees) == 0)
        {
            errors.Add(new(nameof(EmployeeForm.CommonSections), l["Employee.CannotRemoveOwnEmployees"]));
        }

        return errors;
    }

}
