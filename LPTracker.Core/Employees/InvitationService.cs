using LPTracker.Core.Accounts;
using LPTracker.Core.Mail;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees;

/// <summary>Where an invitation went, and whether it was saved as a file (no SMTP server configured).</summary>
public sealed record InvitationSent(string Email, bool SavedToFolder);

/// <summary>
/// Invites an employee by e-mail: a single-use link, valid 72 hours, where they set their own password. Needs the
/// Employees section and every right the employee holds (<see cref="EmployeeRankRules"/>); never for the main account
/// or oneself (they use "Forgot password"). A newer invitation
/// revokes the older one; a failed send revokes the link it carried.
/// </summary>
public sealed class InvitationService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    EmployeeRankRules rankRules,
    AccountTokens tokens,
    MailSender mail,
    IStringLocalizer<InvitationService> l)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);

    public async Task<OperationResult<InvitationSent>> SendAsync(CallerContext caller, int employeeId, string linkBase, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return OperationResult<InvitationSent>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var employee = await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Id == employeeId, ct);
        string? refusal = employee switch
        {
            null => l["Employee.NotFound"].Value,
            { IsMain: true } => l["Invite.NotForMain"].Value,
            _ when employeeId == caller.EmployeeId => l["Invite.NotSelf"].Value,
            { Email: null or "" } => l["Invite.NoEmail"].Value,
            _ => null,
        };

        // The link sets the password: inviting is changing a credential, under the same rank rule.
        refusal ??= await rankRules.CheckAsync(db, profile, employeeId, ct);
        if (refusal is not null)
        {
            return OperationResult<InvitationSent>.Fail("", refusal);
        }

        await tokens.RevokeAsync(db, employeeId, TokenPurpose.Invitation, ct);
        var token = tokens.Issue(db, caller.AccountId, employeeId, TokenPurpose.Invitation, Lifetime);
        await db.SaveChangesAsync(ct);
        var company = await db.Accounts.Select(a => a.CompanyName).SingleAsync(ct);
        var body = l["Mail.Invite.Body", employee!.Name, company, employee.Login, PasswordLinks.Link(linkBase, token), (int)Lifetime.TotalHours];
        if (!await mail.SendAsync(employee.Email!, l["Mail.Invite.Subject", company], body, ct))
        {
            await tokens.RevokeAsync(db, employeeId, TokenPurpose.Invitation, ct);
            return OperationResult<InvitationSent>.Fail("", l["Mail.SendFailed"]);
        }

        return OperationResult<InvitationSent>.Ok(new InvitationSent(employee.Email!, mail.WritesToFolder));
    }
}
