using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Telephony;

/// <summary>
/// Re-issues the hashes of SIP accounts whose stored realm is not the configured one, so a changed <c>Sip:Realm</c> or
/// <c>Sip:Domain</c> does not silently lock every phone out. Runs when the registrar loads its users.
/// </summary>
public sealed class SipRealmUpdater(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    SipCredentialIssuer issuer,
    IOptions<SipOptions> options,
    ILogger<SipRealmUpdater> logger)
{
    /// <summary>Rehashes every account issued for another realm; returns how many were rehashed and how many could not be
    /// (their password is unreadable: an administrator must regenerate them, which the log says).</summary>
    public async Task<(int Rehashed, int Unreadable)> UpdateAsync(CancellationToken ct = default)
    {
        var realm = options.Value.EffectiveRealm;
        // System-wide on purpose: the registrar serves every account.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stale = await db.SipAccounts.IgnoreQueryFilters().Where(s => s.Realm != realm).ToListAsync(ct);
        var unreadable = stale.Count(account => !issuer.TryRehash(account));
        await db.SaveChangesAsync(ct);
        if (stale.Count > 0)
        {
            logger.LogWarning("SIP realm is now {Realm}: {Rehashed} SIP accounts re-hashed, {Unreadable} need their SIP data regenerated",
                realm, stale.Count - unreadable, unreadable);
        }

        return (stale.Count - unreadable, unreadable);
    }
}
