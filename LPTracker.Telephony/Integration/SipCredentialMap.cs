using System.Collections.Concurrent;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LPTracker.Telephony.Integration;

/// <summary>
/// Every SIP account's credentials in memory, loaded once at start-up and kept coherent by the console's change events
/// (<see cref="SipAccountEventsBridge"/>: issued, regenerated, deleted). A REGISTER never reads the database: right
/// after a restart, when every phone re-registers at once, the first REGISTER of a user costs what the next ones do,
/// and an unknown user costs what a known one costs (a lock-free map lookup either way). 10,000 users take ~3 MB.
/// </summary>
public sealed class SipCredentialMap(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    SipRealmUpdater realms,
    ILogger<SipCredentialMap> logger) : ISipUserDirectory
{
    private readonly ConcurrentDictionary<string, SipUserCredentials> _users = new(StringComparer.Ordinal);

    /// <summary>Number of users held.</summary>
    public int Count => _users.Count;

    /// <inheritdoc />
    public ValueTask<SipUserCredentials?> FindAsync(string userName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_users.TryGetValue(userName, out var credentials) ? credentials : null);

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        await realms.UpdateAsync(cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await Rows(Accounts(db)).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            _users[row.UserName] = row;
        }

        logger.LogInformation("Loaded credentials of {Count} SIP users", rows.Count);
    }

    /// <summary>Reads one user's credentials again (issued or regenerated), or forgets them when the row is gone.</summary>
    public async Task RefreshAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await Rows(Accounts(db).Where(s => s.UserName == userName)).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            _users.TryRemove(userName, out _);
        }
        else
        {
            _users[userName] = row;
        }
    }

    /// <summary>Forgets a user at once (deleted).</summary>
    public void Remove(string userName) => _users.TryRemove(userName, out _);

    // System-wide on purpose: the registrar serves every account.
    private static IQueryable<SipAccount> Accounts(LptrackerDbContext db) => db.SipAccounts.IgnoreQueryFilters().AsNoTracking();

    private static IQueryable<SipUserCredentials> Rows(IQueryable<SipAccount> accounts) =>
        accounts.Select(s => new SipUserCredentials(s.UserName, s.Ha1Md5, s.Ha1Sha256, s.EmployeeId, s.AccountId));
}
