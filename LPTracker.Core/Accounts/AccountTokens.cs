using System.Security.Cryptography;
using System.Text;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Accounts;

/// <summary>
/// Issues and redeems one-time links. Tokens are 256 random bits (unguessable); a presented token is hashed and
/// the stored hash compared in constant time. Redeeming is the one place links are read without a tenant (the
/// holder is not signed in).
/// </summary>
public sealed class AccountTokens(TimeProvider time)
{
    /// <summary>Adds a new token for the employee to <paramref name="db"/> (saved with the caller's save); returns the token.</summary>
    public string Issue(LptrackerDbContext db, int accountId, int employeeId, TokenPurpose purpose, TimeSpan lifetime)
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        db.Set<AccountToken>().Add(new AccountToken
        {
            AccountId = accountId, EmployeeId = employeeId, Purpose = purpose, Hash = HashOf(token), CreatedUtc = now,
            ExpiresUtc = now + lifetime,
        });
        return token;
    }

    /// <summary>Marks the employee's outstanding links of a purpose as used (a newer link or new credentials replace them).</summary>
    public Task<int> RevokeAsync(LptrackerDbContext db, int employeeId, TokenPurpose purpose, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Set<AccountToken>().IgnoreQueryFilters()
            .Where(t => t.EmployeeId == employeeId && t.Purpose == purpose && t.UsedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedUtc, now), ct);
    }

    /// <summary>The unused, unexpired token of one of the purposes, tracked in <paramref name="db"/>; null otherwise.</summary>
    public async Task<AccountToken?> FindValidAsync(LptrackerDbContext db, string? token, IReadOnlyCollection<TokenPurpose> purposes, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return null;
        }

        var hash = HashOf(token);
        var found = await db.Set<AccountToken>().IgnoreQueryFilters().SingleOrDefaultAsync(t => t.Hash == hash, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var matches = found is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(found.Hash), Encoding.ASCII.GetBytes(hash));
        return matches && found!.UsedUtc is null && found.ExpiresUtc > now && purposes.Contains(found.Purpose) ? found : null;
    }

    /// <summary>
    /// Uses the token up; false when another request used it first. Call inside the transaction of the change the
    /// link allows, so that two requests racing with one link change things at most once.
    /// </summary>
    public async Task<bool> ConsumeAsync(LptrackerDbContext db, AccountToken token, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var used = await db.Set<AccountToken>().IgnoreQueryFilters().Where(t => t.Id == token.Id && t.UsedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedUtc, now), ct);
        return used == 1;
    }

    internal static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
