using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Core.Accounts;

/// <summary>Arranging helpers for the e-mail tests.</summary>
internal static class AccountsArrange
{
    /// <summary>Gives an employee an e-mail directly.</summary>
    public static async Task SetEmailAsync(this CoreTestHost host, CallerContext employee, string email)
    {
        await using var db = await host.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        (await db.Employees.SingleAsync(e => e.Id == employee.EmployeeId)).Email = email;
        await db.SaveChangesAsync();
    }
}
