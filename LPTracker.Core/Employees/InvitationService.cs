using LPTracker.Core.Accounts;
using LPTracker.Core.Live;
using LPTracker.Core.Mail;
using LPTracker.Core.Notifications;
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
/// or oneself (they use "Forgot password"). A newer invitation revokes the older one; a failed send revokes the link
/// it carried; a send the server refused for good (5xx) marks the invitation bounced and tells the administrators.
/// </summary>
public sealed class InvitationService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    EmployeeRankRules rankRules,
    AccountTokens tokens,
    MailSender mail,
    IAdminNotifications notifications,
    ChangeNotifier notifier,
    TimeProvider time,
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
        var sent = await mail.DeliverAsync(employee.Email!, l["Mail.Invite.Subject", company], body, ct);
        switch (sent.Outcome)
        {
            case MailOutcome.Sent:
                notifier.Publish(new EmployeeChange(caller.AccountId, employeeId, EmployeeChangeKind.Updated));
                return OperationResult<InvitationSent>.Ok(new InvitationSent(employee.Email!, mail.WritesToFolder));
            case MailOutcome.Rejected:
                await MarkBouncedAsync(db, caller.AccountId, employee, sent.Reason ?? "", ct);
                return OperationResult<InvitationSent>.Fail("", l["Invite.Bounced", employee.Email!, sent.Reason ?? ""]);
            default:
                await tokens.RevokeAsync(db, employeeId, TokenPurpose.Invitation, ct);
                return OperationResult<InvitationSent>.Fail("", l["Mail.SendFailed"]);
        }
    }

    /// <summary>The state of the employee's latest invitation, for the editor; needs the Employees section.</summary>
    public async Task<OperationResult<InvitationStatus>> StatusAsync(CallerContext caller, int employeeId, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is null)
        {
            return OperationResult<InvitationStatus>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var latest = await db.AccountTokens.AsNoTracking().Where(t => t.EmployeeId == employeeId && t.Purpose == TokenPurpose.Invitation)
            .OrderByDescending(t => t.Id).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        return OperationResult<InvitationStatus>.Ok(latest switch
        {
            { BouncedUtc: { } at } => new InvitationStatus(InvitationState.Bounced, at, latest.BounceReason),
            { UsedUtc: null } when latest.ExpiresUtc > now => new InvitationStatus(InvitationState.Pending, latest.ExpiresUtc, null),
            _ => InvitationStatus.None,
        });
    }

    private async Task MarkBouncedAsync(LptrackerDbContext db, int accountId, Employee employee, string reason, CancellationToken ct)
    {
        // The link is dead: nobody received it. The bounce stays on it for the editor, the list and the bell.
        var issued = db.AccountTokens.Local.Single(t => t.EmployeeId == employee.Id && t.Purpose == TokenPurpose.Invitation && t.UsedUtc == null);
        var now = time.GetUtcNow().UtcDateTime;
        (issued.UsedUtc, issued.BouncedUtc, issued.BounceReason) = (now, now, reason.Length > Limits.BounceReason ? reason[..Limits.BounceReason] : reason);
        await db.SaveChangesAsync(ct);
        notifier.Publish(new EmployeeChange(accountId, employee.Id, EmployeeChangeKind.Updated));
        await notifications.RaiseAsync(accountId, NotificationKinds.InvitationBounced, NotificationSubject.Employee(employee.Id),
            employee.Name, employee.Email!, reason);
    }
}

/// <summary>Where an employee's latest invitation stands.</summary>
public enum InvitationState
{
    /// <summary>None sent, or the last one was used, replaced or expired.</summary>
    None,

    /// <summary>Sent and not used yet; <see cref="InvitationStatus.AtUtc"/> is when it expires.</summary>
    Pending,

    /// <summary>The mail server refused it for good; <see cref="InvitationStatus.AtUtc"/> is when.</summary>
    Bounced,
}

/// <summary>An employee's latest invitation: its state, the time that goes with it and a bounce's reason.</summary>
public sealed record InvitationStatus(InvitationState State, DateTime? AtUtc, string? Reason)
{
    public static readonly InvitationStatus None = new(InvitationState.None, null, null);
}
