using LPTracker.Core.Accounts;
using LPTracker.Core.Live;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Telephony;

/// <summary>
/// What the SIP data block shows (never the password: it is revealed on request). When <c>Exists</c> is false no SIP
/// data was generated yet and only the server settings are filled in.
/// </summary>
public sealed record SipDataView(
    int EmployeeId,
    string EmployeeName,
    bool Exists,
    string? UserName,
    string Domain,
    string Server,
    int Port,
    IReadOnlyList<string> Transports,
    IReadOnlyDictionary<string, string> ClientDownloads,
    DateTime? CreatedUtc);

/// <summary>
/// The employee's SIP data: generate, regenerate (the old password stops working, and so do provisioning links handed
/// out before), reveal the password. Rights: <see cref="SipDataRights"/>.
/// </summary>
public sealed class SipDataService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    SipDataRights rights,
    SipCredentialIssuer issuer,
    AccountTokens tokens,
    ISipAccountEvents events,
    ChangeNotifier notifier,
    IOptions<SipOptions> settings,
    ISipListenerInfo listener,
    TimeProvider time,
    IStringLocalizer<SipDataService> l)
{
    public async Task<OperationResult<SipDataView>> GetAsync(CallerContext caller, int employeeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await rights.CheckAsync(db, caller, employeeId, false, ct) is { } denied)
        {
            return OperationResult<SipDataView>.From(denied);
        }

        return OperationResult<SipDataView>.Ok(await ViewAsync(db, employeeId, ct));
    }

    /// <summary>Creates the employee's SIP account; refused when it already has one (use regenerate).</summary>
    public async Task<OperationResult<SipDataView>> GenerateAsync(CallerContext caller, int employeeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await rights.CheckAsync(db, caller, employeeId, true, ct) is { } denied)
        {
            return OperationResult<SipDataView>.From(denied);
        }

        if (await db.SipAccounts.AnyAsync(s => s.EmployeeId == employeeId, ct))
        {
            return OperationResult<SipDataView>.Fail("", l["Sip.AlreadyExists"]);
        }

        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        var account = new SipAccount { EmployeeId = employeeId, AccountId = caller.AccountId };
        issuer.Issue(account, number, time.GetUtcNow().UtcDateTime);
        db.SipAccounts.Add(account);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Two administrators pressed "Generate" at once; the first one won.
            return OperationResult<SipDataView>.Fail("", l["Sip.AlreadyExists"]);
        }

        await events.OnCredentialsIssuedAsync(caller.AccountId, employeeId, account.UserName, ct);
        notifier.Publish(new EmployeeChange(caller.AccountId, employeeId, EmployeeChangeKind.SipStatus));
        return OperationResult<SipDataView>.Ok(await ViewAsync(db, employeeId, ct));
    }

    /// <summary>Replaces the password and hashes; phones registered with the old password must be set up again.</summary>
    public async Task<OperationResult<SipDataView>> RegenerateAsync(CallerContext caller, int employeeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await rights.CheckAsync(db, caller, employeeId, true, ct) is { } denied)
        {
            return OperationResult<SipDataView>.From(denied);
        }

        var account = await db.SipAccounts.SingleOrDefaultAsync(s => s.EmployeeId == employeeId, ct);
        if (account is null)
        {
            return OperationResult<SipDataView>.Fail("", l["Sip.NotCreated"]);
        }

        var number = await db.Accounts.Select(a => a.Number).SingleAsync(ct);
        issuer.Issue(account, number, time.GetUtcNow().UtcDateTime);

        // A link handed out before would give a phone the old password: outstanding ones stop working now.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await tokens.RevokeAsync(db, employeeId, TokenPurpose.Provisioning, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await events.OnCredentialsReplacedAsync(caller.AccountId, employeeId, account.UserName, ct);
        notifier.Publish(new EmployeeChange(caller.AccountId, employeeId, EmployeeChangeKind.SipStatus));
        return OperationResult<SipDataView>.Ok(await ViewAsync(db, employeeId, ct));
    }

    /// <summary>The readable SIP password, for an administrator who asks to see or copy it.</summary>
    public async Task<OperationResult<string>> RevealPasswordAsync(CallerContext caller, int employeeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await rights.CheckAsync(db, caller, employeeId, true, ct) is { } denied)
        {
            return OperationResult<string>.From(denied);
        }

        var account = await db.SipAccounts.AsNoTracking().SingleOrDefaultAsync(s => s.EmployeeId == employeeId, ct);
        return account is null
            ? OperationResult<string>.Fail("", l["Sip.NotCreated"])
            : OperationResult<string>.Ok(issuer.Reveal(account));
    }

    /// <summary>
    /// The port phones are told. Without a configured port, the port the UDP listener really bound: "5060" when it
    /// listens elsewhere sends every phone to the wrong place.
    /// </summary>
    internal static int ShownPort(SipOptions s, ISipListenerInfo listener) => s.PublicPort ?? listener.UdpPort ?? 5060;

    private async Task<SipDataView> ViewAsync(LptrackerDbContext db, int employeeId, CancellationToken ct)
    {
        var name = await db.Employees.Where(e => e.Id == employeeId).Select(e => e.Name).SingleAsync(ct);
        var account = await db.SipAccounts.AsNoTracking().SingleOrDefaultAsync(s => s.EmployeeId == employeeId, ct);
        var s = settings.Value;

        return new SipDataView(employeeId, name, account is not null, account?.UserName, s.Domain, s.ShownHost, ShownPort(s, listener),
            s.EffectiveTransports, s.ClientDownloads, account?.CreatedUtc);
    }
}
