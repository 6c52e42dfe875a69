using System.Net;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Telephony;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The web app with its SIP registrar on loopback (domain 127.0.0.1), and helpers to give employees SIP accounts.</summary>
public class TelephonyAppFixture : WebAppFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Sip:Domain"] = "127.0.0.1",
        ["Sip:PublicHost"] = "127.0.0.1",
    };

    public IPEndPoint SipUdp => Get<SipServer>().GetEndPoint(SipTransportKind.Udp);

    public IPEndPoint SipTcp => Get<SipServer>().GetEndPoint(SipTransportKind.Tcp);

    /// <summary>Issues SIP credentials for the employee the way the console does (stored, then announced to the registrar);
    /// returns user name and password.</summary>
    public async Task<(string User, string Password)> IssueSipAccountAsync(CallerContext employee)
    {
        await using var db = await Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync();
        var account = new SipAccount { EmployeeId = employee.EmployeeId, AccountId = employee.AccountId };
        var password = Get<SipCredentialIssuer>().Issue(account, number, DateTime.UtcNow);
        db.SipAccounts.Add(account);
        await db.SaveChangesAsync();
        await Get<ISipAccountEvents>().OnCredentialsIssuedAsync(employee.AccountId, employee.EmployeeId, account.UserName);
        return (account.UserName, password);
    }

    /// <summary>
    /// Adds an employee to the account of <paramref name="owner"/>; with a <paramref name="password"/> it can sign in
    /// as <c>{number}_{suffix}</c>.
    /// </summary>
    public async Task<CallerContext> AddEmployeeAsync(
        CallerContext owner, string suffix, string? password = null, LPTracker.Core.Permissions.CommonSections sections = default)
    {
        await using var db = await Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync();
        var employee = new LPTracker.Core.Employees.Employee
        {
            AccountId = owner.AccountId, Name = suffix, Login = LPTracker.Core.Accounts.LoginRules.Compose(number, suffix), PasswordHash = "x",
            CommonSections = sections,
        };
        if (password is not null)
        {
            employee.PasswordHash = Get<Microsoft.AspNetCore.Identity.IPasswordHasher<LPTracker.Core.Employees.Employee>>().HashPassword(employee, password);
        }

        employee.RefreshSearchText();
        db.Employees.Add(employee);
        await db.SaveChangesAsync();
        return new CallerContext(owner.AccountId, employee.Id);
    }

    /// <summary>The login of an employee added by <see cref="AddEmployeeAsync"/>.</summary>
    public async Task<string> LoginOfAsync(CallerContext employee)
    {
        await using var db = await Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        return await db.Employees.Where(e => e.Id == employee.EmployeeId).Select(e => e.Login).SingleAsync();
    }
}
