using LPTracker.Core.Accounts;
using LPTracker.Core.Audit;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Telephony.Provisioning;

/// <summary>
/// Softphone provisioning by QR code: a single-use link, valid 24 hours, that serves the employee's SIP account to
/// the phone that scans it, so the administrator never reads a password out. Creating one needs the rights of
/// <see cref="SipDataRights"/> (acting); a newer link, regenerated SIP data or deleting the employee voids older ones.
/// Both the link's creation and its use are in the audit log (never the password).
/// </summary>
public sealed class ProvisioningLinks(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    SipDataRights rights,
    AccountTokens tokens,
    SipCredentialIssuer issuer,
    IOptions<SipOptions> settings,
    ISipListenerInfo listener,
    IStringLocalizer<ProvisioningLinks> l)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>The path the links point at; the token follows.</summary>
    public const string PathPrefix = "/provisioning/";

    private static readonly TokenPurpose[] Purpose = [TokenPurpose.Provisioning];

    /// <summary>The full link for a token.</summary>
    public static string Link(string linkBase, string token) => $"{linkBase.TrimEnd('/')}{PathPrefix}{token}";

    /// <summary>A new link for the employee's SIP account; refused when it has none yet.</summary>
    public async Task<OperationResult<ProvisioningLink>> CreateAsync(CallerContext caller, int employeeId, string linkBase, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await rights.CheckAsync(db, caller, employeeId, acting: true, ct) is { } denied)
        {
            return OperationResult<ProvisioningLink>.From(denied);
        }

        if (!await db.SipAccounts.AnyAsync(s => s.EmployeeId == employeeId, ct))
        {
            return OperationResult<ProvisioningLink>.Fail("", l["Sip.NotCreated"]);
        }

        var name = await db.Employees.Where(e => e.Id == employeeId).Select(e => e.Name).SingleAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await tokens.RevokeAsync(db, employeeId, TokenPurpose.Provisioning, ct);
        var token = tokens.Issue(db, caller.AccountId, employeeId, TokenPurpose.Provisioning, Lifetime);
        ManualAudit.Add(db, caller.AccountId, AuditAction.ProvisioningLinkIssued, employeeId, name);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var issued = db.AccountTokens.Local.Single(t => t.Purpose == TokenPurpose.Provisioning);
        return OperationResult<ProvisioningLink>.Ok(new ProvisioningLink(Link(linkBase, token), issued.ExpiresUtc));
    }

    /// <summary>
    /// The SIP account behind a valid link, using the link up; null when the token is unknown, used, revoked or
    /// expired. The holder is not signed in: this is one of the places tokens are read without a tenant.
    /// </summary>
    public async Task<ProvisioningProfile?> RedeemAsync(string? token, string? clientAddress, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await tokens.FindValidAsync(db, token, Purpose, ct);
        if (found is null)
        {
            return null;
        }

        db.TenantAccountId = found.AccountId;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = await db.SipAccounts.AsNoTracking().SingleOrDefaultAsync(s => s.EmployeeId == found.EmployeeId, ct);
        if (account is null || !await tokens.ConsumeAsync(db, found, ct))
        {
            return null;
        }

        var name = await db.Employees.Where(e => e.Id == found.EmployeeId).Select(e => e.Name).SingleAsync(ct);

        // The phone acts for the employee the link was made for.
        using (CallerScope.Begin(found.EmployeeId, clientAddress))
        {
            ManualAudit.Add(db, found.AccountId, AuditAction.ProvisioningLinkUsed, found.EmployeeId, name);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        var s = settings.Value;
        var transport = s.EffectiveTransports is [var first, ..] ? first.ToLowerInvariant() : "udp";
        return new ProvisioningProfile(account.UserName, issuer.Reveal(account), s.Domain, s.EffectiveRealm, s.ShownHost,
            SipDataService.ShownPort(s, listener), transport);
    }
}
