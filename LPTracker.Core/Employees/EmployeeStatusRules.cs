using System.Linq.Expressions;
using LPTracker.Core.Persistence;

namespace LPTracker.Core.Employees;

/// <summary>An employee's status in one project (the list's status line under the switch).</summary>
public enum WorkStatus
{
    NotWorking = 0,
    Working = 1,
}

/// <summary>
/// "Working" is per project: the switch must be on <em>and</em> the employee must take calls/requests in the
/// project being viewed (the article's example: the main account, switched on, is Not working in "Проект 2"
/// where it does not take calls). The main account has access to every project implicitly, but still needs
/// TakesCalls there.
/// </summary>
public static class EmployeeStatusRules
{
    /// <summary>The status in a project; <paramref name="membership"/> is null when there is no membership row.</summary>
    public static WorkStatus StatusIn(bool switchedOn, bool isMain, MembershipFlags? membership) =>
        switchedOn && membership is { TakesCalls: true } m && (isMain || m.HasAccess)
            ? WorkStatus.Working
            : WorkStatus.NotWorking;

    /// <summary>
    /// Who the Project view lists, as a query: the main account always, others with access to the project. One
    /// <c>Id IN (project's memberships UNION main)</c>, no <c>OR</c>: SQLite then seeks the listed ids in the
    /// (AccountId, Id) index instead of reading every employee of the account.
    /// </summary>
    internal static Expression<Func<Employee, bool>> ListedIn(LptrackerDbContext db, int projectId, int mainId) =>
        e => db.Memberships.Where(m => m.ProjectId == projectId && m.HasAccess).Select(m => m.EmployeeId)
            .Union(db.Employees.Where(main => main.Id == mainId).Select(main => main.Id))
            .Contains(e.Id);

    /// <summary>The same rule as <see cref="StatusIn"/>, as a query the database runs (the Working counter).</summary>
    internal static Expression<Func<Employee, bool>> WorkingIn(LptrackerDbContext db, int projectId, int mainId) =>
        e => e.IsEnabled && db.Memberships
            .Where(m => m.ProjectId == projectId && m.TakesCalls && (m.HasAccess || m.EmployeeId == mainId))
            .Select(m => m.EmployeeId).Contains(e.Id);

    /// <summary>True when the Project view lists the employee (same rule as <see cref="ListedIn"/>).</summary>
    public static bool IsListedIn(bool isMain, MembershipFlags? membership) => isMain || membership is { HasAccess: true };
}

/// <summary>The parts of a project membership that decide the status.</summary>
public sealed record MembershipFlags(bool HasAccess, bool TakesCalls);
