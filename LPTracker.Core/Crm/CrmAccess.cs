using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Crm;

/// <summary>
/// The one place CRM rights are read: every CRM entry point (list, card by id, search, counters, export, import,
/// pop-up lookup) asks here for the caller's scope in a project before touching its data. A project the caller has no
/// access to, another account's project and a missing section all answer null, so an id typed in the URL is refused
/// the same way a hidden button would be.
/// </summary>
public sealed class CrmAccess(IDbContextFactory<LptrackerDbContext> dbFactory)
{
    /// <summary>The caller's scope in <paramref name="projectId"/> when it holds the section and permissions, else null.</summary>
    public async Task<CrmScope?> RequireAsync(
        CallerContext caller, int projectId, ProjectSections section,
        EmployeePermissions permissions = EmployeePermissions.None, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        return Allow(await ScopeAsync(db, caller, projectId, ct), section, permissions);
    }

    /// <summary>As the public RequireAsync, reading with an open context (one connection per operation).</summary>
    internal static async Task<CrmScope?> RequireAsync(
        LptrackerDbContext db, CallerContext caller, int projectId, ProjectSections section,
        EmployeePermissions permissions = EmployeePermissions.None, CancellationToken ct = default) =>
        Allow(await ScopeAsync(db, caller, projectId, ct), section, permissions);

    /// <summary>The caller's scope in its current project (the top bar's) when it holds the section, else null.</summary>
    public async Task<CrmScope?> RequireCurrentAsync(
        CallerContext caller, ProjectSections section, EmployeePermissions permissions = EmployeePermissions.None,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var current = await CurrentProjectIdAsync(db, caller, ct);
        return current is { } projectId ? Allow(await ScopeAsync(db, caller, projectId, ct), section, permissions) : null;
    }

    /// <summary>The projects in which the caller holds <paramref name="section"/> (for account-wide lookups).</summary>
    public async Task<IReadOnlyList<int>> ProjectsWithAsync(CallerContext caller, ProjectSections section, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var me = await db.Employees.AsNoTracking().Where(e => e.Id == caller.EmployeeId).Select(e => (bool?)e.IsMain).SingleOrDefaultAsync(ct);
        if (me is null)
        {
            return [];
        }

        if (me.Value)
        {
            return await db.Projects.Select(p => p.Id).ToListAsync(ct);
        }

        return await db.Memberships.Where(m => m.EmployeeId == caller.EmployeeId && m.HasAccess && (m.Sections & section) == section)
            .Select(m => m.ProjectId).ToListAsync(ct);
    }

    /// <summary>The project chosen in the top bar if the caller still may open it, else its first visible project.</summary>
    internal static async Task<int?> CurrentProjectIdAsync(LptrackerDbContext db, CallerContext caller, CancellationToken ct)
    {
        var me = await db.Employees.AsNoTracking().Where(e => e.Id == caller.EmployeeId)
            .Select(e => new { e.IsMain, e.CurrentProjectId }).SingleOrDefaultAsync(ct);
        if (me is null)
        {
            return null;
        }

        var visible = AccessService.VisibleProjectSet(db, caller.EmployeeId, me.IsMain);
        return await visible.Where(p => p.Id == me.CurrentProjectId).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct)
            ?? await visible.OrderBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
    }

    private static async Task<CrmScope?> ScopeAsync(LptrackerDbContext db, CallerContext caller, int projectId, CancellationToken ct)
    {
        // The tenant filter hides other accounts' projects and employees: their ids read as missing.
        var row = await db.Employees.AsNoTracking()
            .Where(e => e.Id == caller.EmployeeId && db.Projects.Any(p => p.Id == projectId))
            .Select(e => new
            {
                e.IsMain,
                e.Permissions,
                Membership = db.Memberships.Where(m => m.EmployeeId == e.Id && m.ProjectId == projectId && m.HasAccess)
                    .Select(m => (ProjectSections?)m.Sections).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        if (row is null || (!row.IsMain && row.Membership is null))
        {
            return null;
        }

        return new CrmScope(caller.AccountId, caller.EmployeeId, projectId, row.IsMain,
            row.IsMain ? ProjectSections.All : row.Membership!.Value, row.IsMain ? EmployeePermissions.All : row.Permissions);
    }

    private static CrmScope? Allow(CrmScope? scope, ProjectSections section, EmployeePermissions permissions) =>
        scope is not null && scope.Has(section) && scope.Has(permissions) ? scope : null;
}
