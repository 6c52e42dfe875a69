using LPTracker.Core.Audit;
using LPTracker.Core.Employees;
using LPTracker.Core.Mail;
using LPTracker.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Accounts;

/// <summary>What a password link is, for the page to greet its holder (or say it no longer works).</summary>
public sealed record PasswordLinkInfo(TokenPurpose Purpose, string Name, string Login);

/// <summary>
/// "Forgot password" and the set-password link of invitations. A request answers the same whether or not the login
/// exists (the page shows one neutral text) and is rate-limited per login and per address; the link works once,
/// for an hour; using it sets the password, unlocks the login and ends every other session (new security stamp).
/// </summary>
public sealed class PasswordLinks(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccountTokens tokens,
    MailSender mail,
    IPasswordHasher<Employee> hasher,
    TimeProvider time,
    IStringLocalizer<PasswordLinks> l)
{
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromHours(1);

    /// <summary>The path of the set-password page; the token follows as <c>?token=</c>.</summary>
    public const string PagePath = "/account/password";

    private static readonly TokenPurpose[] PasswordPurposes = [TokenPurpose.PasswordReset, TokenPurpose.Invitation];

    private readonly RequestLimiter _perLogin = new(time, 3, TimeSpan.FromHours(1));
    private readonly RequestLimiter _perAddress = new(time, 10, TimeSpan.FromHours(1));

    /// <summary>The full link for a token.</summary>
    public static string Link(string linkBase, string token) => $"{linkBase.TrimEnd('/')}{PagePath}?token={token}";

    /// <summary>Sends a reset link when the login exists and has an e-mail; the caller shows the same answer regardless.</summary>
    public async Task RequestResetAsync(string? login, string linkBase, string? clientAddress, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(login) || login.Length > Limits.Email)
        {
            return;
        }

        var normalized = LoginRules.Normalize(login);
        if (!_perAddress.TryAcquire(clientAddress ?? "") || !_perLogin.TryAcquire(normalized))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var employee = await db.Employees.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(e => e.NormalizedLogin == normalized, ct);
        var address = employee is null ? null : employee.IsMain ? employee.Login : employee.Email;
        if (employee is null || string.IsNullOrWhiteSpace(address))
        {
            return;
        }

        db.TenantAccountId = employee.AccountId;
        await tokens.RevokeAsync(db, employee.Id, TokenPurpose.PasswordReset, ct);
        var token = tokens.Issue(db, employee.AccountId, employee.Id, TokenPurpose.PasswordReset, ResetLifetime);
        await db.SaveChangesAsync(ct);
        await mail.SendAsync(address, l["Mail.Reset.Subject"], l["Mail.Reset.Body", employee.Name, employee.Login, Link(linkBase, token)], ct);
    }

    /// <summary>Who the link is for, or null when it is unknown, used, revoked or expired.</summary>
    public async Task<PasswordLinkInfo?> InspectAsync(string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await tokens.FindValidAsync(db, token, PasswordPurposes, ct);
        if (found is null)
        {
            return null;
        }

        var e = await db.Employees.IgnoreQueryFilters().SingleAsync(x => x.Id == found.EmployeeId, ct);
        return new PasswordLinkInfo(found.Purpose, e.Name, e.Login);
    }

    /// <summary>Sets the holder's password; the link is used up in the same transaction.</summary>
    public async Task<OperationResult> SetPasswordAsync(string? token, string? password, string? confirmation, CancellationToken ct = default)
    {
        if (!PasswordRules.IsStrong(password))
        {
            return OperationResult.Fail("Password", l["Validation.WeakPassword", Limits.PasswordMin]);
        }

        if (!string.Equals(password, confirmation, StringComparison.Ordinal))
        {
            return OperationResult.Fail("Confirmation", l["Password.Mismatch"]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await tokens.FindValidAsync(db, token, PasswordPurposes, ct);
        if (found is null)
        {
            return OperationResult.Fail("", l["Password.LinkInvalid"]);
        }

        db.TenantAccountId = found.AccountId;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await tokens.ConsumeAsync(db, found, ct))
        {
            return OperationResult.Fail("", l["Password.LinkInvalid"]);
        }

        var employee = await db.Employees.SingleAsync(e => e.Id == found.EmployeeId, ct);
        employee.PasswordHash = hasher.HashPassword(employee, password!);
        employee.SecurityStamp = Guid.NewGuid().ToString("N");
        employee.FailedSignIns = 0;
        employee.LockoutEndUtc = null;
        employee.Version = Guid.NewGuid();

        // The holder of the link acts on their own account.
        using (CallerScope.Begin(employee.Id, CallerScope.Current?.ClientAddress))
        {
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        return OperationResult.Ok();
    }
}
