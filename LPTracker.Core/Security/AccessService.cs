using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Security;

/// <summary>Answers "who is the caller and what may they open", from the database, for every check.</summary>
public sealed class AccessService(IDbContextFactory<LptrackerDbContext> dbFactory)
{
    /// <summary>The caller's profile, or null when the employee no longer exists.</summary>
    public async Task<CallerProfile?> GetProfileAsync(CallerContext caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var me = await db.Employees.AsNoTracking()
            .Where(e => e.Id == caller.EmployeeId)
            .Select(e => new { e.Id, e.Name, e.Login, e.IsMain, e.CommonSections, e.Permissions, e.CurrentProjectId })
            .SingleOrDefaultAsync(ct);
        if (me is null)
        {
            return null;
        }

        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        var projects = await VisibleProjects(db, caller.EmployeeId, me.IsMain).ToListAsync(ct);
        var current = projects.FirstOrDefault(p => p.Id == me.CurrentProjectId) ?? projects.FirstOrDefault();
        var sections = ProjectSections.None;
        if (current is not null)
        {
            sections = me.IsMain
                ? ProjectSections.All
                : await db.Memberships.Where(m => m.EmployeeId == me.Id && m.ProjectId == current.Id)
                    .Select(m => m.Sections).SingleOrDefaultAsync(ct);
        }

        return new CallerProfile(caller.AccountId, number, me.Id, me.Name, me.Login, me.IsMain, me.CommonSections,
            me.Permissions, current, sections);
    }

    /// <summary>The caller's profile when it holds <paramref name="section"/>, else null.</summary>
    public async Task<CallerProfile?> RequireAsync(CallerContext caller, CommonSections section, CancellationToken ct = default)
    {
        var profile = await GetProfileAsync(caller, ct);
        return profile is not null && profile.Has(section) ? profile : null;
    }

    /// <summary>Projects the employee can switch to: all for the main account, else those it has access to.</summary>
    internal static IQueryable<ProjectRef> VisibleProjects(LptrackerDbContext db, int employeeId, bool isMain) =>
        VisibleProjectSet(db, employeeId, isMain).OrderBy(p => p.Id).Select(p => new ProjectRef(p.Id, p.Name));

    /// <summary>The projects themselves, for further filtering in the database.</summary>
    internal static IQueryable<Project> VisibleProjectSet(LptrackerDbContext db, int employeeId, bool isMain) =>
        db.Projects.Where(p => isMain || db.Memberships.Any(m => m.ProjectId == p.Id && m.EmployeeId == employeeId && m.HasAccess));
}
