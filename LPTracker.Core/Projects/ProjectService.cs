using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Projects;

/// <summary>The top bar's projects: list, switch, create, rename, delete (never the last one).</summary>
public sealed class ProjectService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    TimeProvider time,
    IStringLocalizer<ProjectService> l)
{
    public async Task<IReadOnlyList<ProjectRef>> ListAsync(CallerContext caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var isMain = await db.Employees.Where(e => e.Id == caller.EmployeeId).Select(e => (bool?)e.IsMain).SingleOrDefaultAsync(ct);
        return isMain is null ? [] : await AccessService.VisibleProjects(db, caller.EmployeeId, isMain.Value).ToListAsync(ct);
    }

    /// <summary>Remembers the project chosen in the top bar for this employee.</summary>
    public async Task<OperationResult> SetCurrentAsync(CallerContext caller, int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var me = await db.Employees.SingleOrDefaultAsync(e => e.Id == caller.EmployeeId, ct);
        if (me is null || !await AccessService.VisibleProjectSet(db, me.Id, me.IsMain).AnyAsync(p => p.Id == projectId, ct))
        {
            return OperationResult.Fail("", l["Projects.NotFound"]);
        }

        me.CurrentProjectId = projectId;
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }

    /// <summary>Creates a project (main account only) and makes it the caller's current one.</summary>
    public async Task<OperationResult<ProjectRef>> CreateAsync(CallerContext caller, string? name, CancellationToken ct = default)
    {
        if (Validate(name) is { } error)
        {
            return OperationResult<ProjectRef>.Fail("Name", error);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var me = await db.Employees.SingleOrDefaultAsync(e => e.Id == caller.EmployeeId, ct);
        if (me is not { IsMain: true })
        {
            return OperationResult<ProjectRef>.Fail("", l["Access.Denied"]);
        }

        var project = new Project { AccountId = caller.AccountId, Name = name!.Trim(), CreatedUtc = time.GetUtcNow().UtcDateTime };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        db.Memberships.Add(new ProjectMembership
        {
            EmployeeId = me.Id, ProjectId = project.Id, AccountId = caller.AccountId, HasAccess = true,
            TakesCalls = true, Sections = ProjectSections.All,
        });
        me.CurrentProjectId = project.Id;
        await db.SaveChangesAsync(ct);
        return OperationResult<ProjectRef>.Ok(new ProjectRef(project.Id, project.Name));
    }

    /// <summary>Renames a project: the main account, or an employee with Project settings in it.</summary>
    public async Task<OperationResult> RenameAsync(CallerContext caller, int projectId, string? name, CancellationToken ct = default)
    {
        if (Validate(name) is { } error)
        {
            return OperationResult.Fail("Name", error);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null)
        {
            return OperationResult.Fail("", l["Projects.NotFound"]);
        }

        var me = await db.Employees.Include(e => e.Memberships).SingleOrDefaultAsync(e => e.Id == caller.EmployeeId, ct);
        var allowed = me is { IsMain: true } || me?.Memberships.Any(m => m.ProjectId == projectId && m.HasAccess
            && m.Sections.HasFlag(ProjectSections.ProjectSettings)) == true;
        if (!allowed)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        project.Name = name!.Trim();
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }

    /// <summary>Deletes a project with its memberships (main account only); the last project stays.</summary>
    public async Task<OperationResult> DeleteAsync(CallerContext caller, int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var me = await db.Employees.SingleOrDefaultAsync(e => e.Id == caller.EmployeeId, ct);
        if (me is not { IsMain: true })
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null)
        {
            return OperationResult.Fail("", l["Projects.NotFound"]);
        }

        if (await db.Projects.CountAsync(ct) <= 1)
        {
            return OperationResult.Fail("", l["Projects.CannotDeleteLast"]);
        }

        db.Projects.Remove(project);
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }

    private string? Validate(string? name) =>
        string.IsNullOrWhiteSpace(name) ? l["Validation.Required"].Value
        : name.Trim().Length > Limits.ProjectName ? l["Validation.TooLong", Limits.ProjectName].Value
        : TextRules.Check(name, l);
}
