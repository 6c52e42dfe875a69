using System.Collections.Concurrent;
using LPTracker.Core.Persistence;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// SIP users from the console's database (the employees' SIP accounts). Lookups sit on the REGISTER hot path, so
/// answers are cached briefly; the console evicts a user the moment its credentials change or it is deleted.
/// </summary>
public sealed class DbSipUserDirectory(IDbContextFactory<LptrackerDbContext> dbFactory, TimeProvider time) : ISipUserDirectory
{
    private static readonly TimeSpan KnownTtl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UnknownTtl = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (SipUserCredentials? Credentials, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<SipUserCredentials?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(userName, out var hit) && hit.Until > now)
        {
            return hit.Credentials;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.SipAccounts.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.UserName == userName)
            .Select(s => new { s.UserName, s.Ha1Md5, s.Ha1Sha256, s.EmployeeId, s.AccountId })
            .SingleOrDefaultAsync(cancellationToken);
        var credentials = row is null ? null : new SipUserCredentials(row.UserName, row.Ha1Md5, row.Ha1Sha256, row.EmployeeId, row.AccountId);
        if (_cache.Count > 100_000)
        {
            _cache.Clear();
        }

        _cache[userName] = (credentials, now + (credentials is null ? UnknownTtl : KnownTtl));
        return credentials;
    }

    /// <summary>Forgets a cached user so the next REGISTER reads the new credentials (or their absence).</summary>
    public void Evict(string userName) => _cache.TryRemove(userName, out _);
}
