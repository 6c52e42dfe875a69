using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Employees.Bulk;

/// <summary>
/// Turns an <see cref="EmployeeSelection"/> into a query over the caller's account: the ticked ids, or exactly what
/// the list shows for the scope and search (<see cref="EmployeeListService"/>'s own filter, the same current project).
/// Ids of another account simply match nothing: the context is the caller's tenant.
/// </summary>
internal static class SelectionQuery
{
    public static async Task<IQueryable<Employee>> ForAsync(
        LptrackerDbContext db, CallerProfile caller, EmployeeSelection selection, CancellationToken ct)
    {
        if (!selection.AllMatching)
        {
            var ids = selection.Ids.Distinct().Take(EmployeeSelection.MaxRows).ToList();
            return db.Employees.AsNoTracking().Where(e => ids.Contains(e.Id));
        }

        var mainId = await db.Employees.Where(e => e.IsMain).Select(e => e.Id).FirstOrDefaultAsync(ct);
        return EmployeeListService.Filter(db, selection.Scope, EmployeeListSearch.Normalize(selection.Search), caller.CurrentProject, mainId);
    }
}
