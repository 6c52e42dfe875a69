using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees;

/// <summary>One project's row of an employee's rights.</summary>
public sealed record ProjectRights(int ProjectId, bool HasAccess, bool TakesCalls, ProjectSections Sections);

/// <summary>Everything an employee holds, as <see cref="EmployeeRankRules"/> compares it.</summary>
public sealed record EmployeeRights(
    int EmployeeId, bool IsMain, CommonSections Sections, EmployeePermissions Permissions, IReadOnlyList<ProjectRights> Projects)
{
    public static EmployeeRights Of(Employee e) => new(e.Id, e.IsMain, e.CommonSections, e.Permissions,
        e.Memberships.Select(m => new ProjectRights(m.ProjectId, m.HasAccess, m.TakesCalls, m.Sections)).ToList());
}

/// <summary>What a target holds that the caller lacks; <see cref="IsEmpty"/> when the caller may act on it.</summary>
public sealed record RightsGap(CommonSections Sections, EmployeePermissions Permissions, IReadOnlySet<int> Projects)
{
    public bool IsEmpty => Sections == CommonSections.None && Permissions == EmployeePermissions.None && Projects.Count == 0;
}

/// <summary>
/// Who may change another employee's credentials or standing (password, login, SIP data, the call switch, delete,
/// any save of the editor): only someone who holds every right the target holds — each common section, each
/// permission, and per project access, "takes calls" and each section. Otherwise an administrator could set a
/// superior's password, sign in as them and hand themselves the rest (issue 10, item 1). The main account may act on
/// anyone; nobody but the main account acts on the main account; everybody may act on themselves.
/// </summary>
public sealed class EmployeeRankRules(IStringLocalizer<EmployeeRankRules> l)
{
    /// <summary>What <paramref name="target"/> holds beyond <paramref name="caller"/> (the pure rule).</summary>
    public static RightsGap Gap(EmployeeRights caller, EmployeeRights target)
    {
        if (caller.IsMain || caller.EmployeeId == target.EmployeeId)
        {
            return new RightsGap(CommonSections.None, EmployeePermissions.None, new HashSet<int>());
        }

        if (target.IsMain)
        {
            return new RightsGap(CommonSections.All, EmployeePermissions.All, new HashSet<int>());
        }

        var mine = caller.Projects.Where(p => p.HasAccess).ToDictionary(p => p.ProjectId);
        var projects = new HashSet<int>();
        foreach (var row in target.Projects)
        {
            // Sections and "takes calls" in a project count even without access: granting access later revives them.
            // Taking calls in a project ranks as access to it (decision 0007): a caller who can open the project sees
            // everything its calls show.
            var held = row.HasAccess || row.TakesCalls || row.Sections != ProjectSections.None;
            if (held && (!mine.TryGetValue(row.ProjectId, out var own) || (row.Sections & ~own.Sections) != 0))
            {
                projects.Add(row.ProjectId);
            }
        }

        return new RightsGap(target.Sections & ~caller.Sections, target.Permissions & ~caller.Permissions, projects);
    }

    /// <summary>
    /// The localised reason <paramref name="caller"/> may not act on employee <paramref name="targetId"/>, or null
    /// when it may. <paramref name="db"/> is the caller's tenant context.
    /// </summary>
    public async Task<string?> CheckAsync(LptrackerDbContext db, CallerProfile caller, int targetId, CancellationToken ct)
    {
        if (caller.IsMain || caller.EmployeeId == targetId)
        {
            return null;
        }

        var target = await db.Employees.AsNoTracking().Include(e => e.Memberships).SingleOrDefaultAsync(e => e.Id == targetId, ct);
        return target is null ? l["Employee.NotFound"] : await CheckAsync(db, caller, target, ct);
    }

    /// <summary>The same check for a target already loaded with its memberships.</summary>
    public async Task<string?> CheckAsync(LptrackerDbContext db, CallerProfile caller, Employee target, CancellationToken ct)
    {
        if (caller.IsMain || caller.EmployeeId == target.Id)
        {
            return null;
        }

        if (target.IsMain)
        {
            return l["Employee.MainOnlyByMain"];
        }

        var mine = await db.Memberships.AsNoTracking().Where(m => m.EmployeeId == caller.EmployeeId)
            .Select(m => new ProjectRights(m.ProjectId, m.HasAccess, m.TakesCalls, m.Sections)).ToListAsync(ct);
        var gap = Gap(new EmployeeRights(caller.EmployeeId, false, caller.CommonSections, caller.Permissions, mine), EmployeeRights.Of(target));
        if (gap.IsEmpty)
        {
            return null;
        }

        var open = mine.Where(m => m.HasAccess).Select(m => m.ProjectId).ToHashSet();
        return l["Employee.Outranks", target.Name, await DescribeAsync(db, gap, open, ct)];
    }

    /// <summary>Names each missing right; projects the caller cannot open stay unnamed (their names are not its business).</summary>
    private async Task<string> DescribeAsync(LptrackerDbContext db, RightsGap gap, IReadOnlySet<int> open, CancellationToken ct)
    {
        var names = new List<string>();
        names.AddRange(Flags.Of(gap.Sections).Select(s => l[$"Section.{s}"].Value));
        names.AddRange(Flags.Of(gap.Permissions).Select(p => l[$"Permission.{p}"].Value));
        var named = gap.Projects.Where(open.Contains).ToList();
        if (named.Count > 0)
        {
            var projects = await db.Projects.AsNoTracking().Where(p => named.Contains(p.Id)).OrderBy(p => p.Id)
                .Select(p => p.Name).ToListAsync(ct);
            names.AddRange(projects.Select(p => l["Employee.RightsInProject", p].Value));
        }

        if (named.Count < gap.Projects.Count)
        {
            names.Add(l["Employee.RightsInClosedProjects"]);
        }

        return string.Join(", ", names);
    }
}
