using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Employees;

/// <summary>Arranging helpers for the employee editor's service tests.</summary>
internal static class EditorArrange
{
    /// <summary>Adds a virtual number to the account directly; returns its id.</summary>
    public static async Task<int> AddNumberAsync(this CoreTestHost host, CallerContext owner, string e164, int? projectId = null)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var number = new VirtualNumber { AccountId = owner.AccountId, E164 = e164, ProjectId = projectId, CreatedUtc = DateTime.UtcNow };
        db.Numbers.Add(number);
        await db.SaveChangesAsync();
        return number.Id;
    }

    /// <summary>Adds a project directly, without giving anybody access; returns its id.</summary>
    public static async Task<int> AddProjectAsync(this CoreTestHost host, CallerContext owner, string name)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var project = new Project { AccountId = owner.AccountId, Name = name, CreatedUtc = DateTime.UtcNow };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    /// <summary>Sets an employee's rights directly (arranging an administrator with given rights).</summary>
    public static async Task SetRightsAsync(
        this CoreTestHost host, CallerContext employee, CommonSections sections, EmployeePermissions permissions = EmployeePermissions.None,
        ProjectSections? firstProjectSections = null)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        var e = await db.Employees.Include(x => x.Memberships).SingleAsync(x => x.Id == employee.EmployeeId);
        e.CommonSections = sections;
        e.Permissions = permissions;
        if (firstProjectSections is { } s)
        {
            e.Memberships.OrderBy(m => m.ProjectId).First().Sections = s;
        }

        e.Version = Guid.NewGuid();
        await db.SaveChangesAsync();
    }

    /// <summary>Reads an employee with its memberships, bypassing the services.</summary>
    public static async Task<Employee?> FindEmployeeAsync(this CoreTestHost host, int employeeId)
    {
        await using var db = host.OpenSystemContext();
        return await db.Employees.IgnoreQueryFilters().AsNoTracking().Include(e => e.Memberships).SingleOrDefaultAsync(e => e.Id == employeeId);
    }

    /// <summary>The number of employees of an account, bypassing the services.</summary>
    public static async Task<int> CountEmployeesAsync(this CoreTestHost host, int accountId)
    {
        await using var db = host.OpenSystemContext();
        return await db.Employees.IgnoreQueryFilters().CountAsync(e => e.AccountId == accountId);
    }

    /// <summary>A form for a new employee that passes every rule, based on the editor's blank form.</summary>
    public static EmployeeForm ValidNewForm(EmployeeEditorModel blank, string suffix = "ivan")
    {
        var form = blank.Form.Clone();
        form.Name = "Иван Петров";
        form.LoginSuffix = suffix;
        form.Password = "secret123";
        form.Phone = "8 (812) 389-32-98";
        form.Email = "ivan@example.com";
        form.Position = "Менеджер";
        return form;
    }
}
