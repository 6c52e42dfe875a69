using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Telephony.Bans;

/// <summary>An employee of the viewer's account whose SIP user a ban names.</summary>
public sealed record BannedEmployee(int EmployeeId, string Name, string SipUser);

/// <summary>
/// A ban as an administrator of one account sees it: only that account's employees are named
/// (<see cref="OtherUsers"/> counts the rest: other accounts', unknown names, the main account's for others), and
/// <see cref="CanLift"/> only when every user the ban names is one of them.
/// </summary>
public sealed record SipBanRow(
    string Address, string? User, string Reason, int Failures, DateTime SinceUtc, DateTime UntilUtc,
    IReadOnlyList<BannedEmployee> Employees, int OtherUsers, bool CanLift, string Node = "");

/// <summary>
/// Which bans an administrator sees and may lift (docs/decisions/0047): a ban is one account's business when it names
/// that account's SIP users; a whole-address ban that also names users of other accounts (or names nobody known) is
/// the provider's, because lifting it reopens the registrar to that address for everyone.
/// </summary>
internal static class SipBanScope
{
    /// <summary>Names looked up per query (SQLite's bound-parameter budget is far larger; this keeps plans small).</summary>
    private const int Chunk = 500;

    /// <summary>The rows <paramref name="profile"/> may see; <paramref name="db"/> is the caller's tenant context.</summary>
    public static async Task<List<SipBanRow>> RowsAsync(
        LptrackerDbContext db, CallerProfile profile, IReadOnlyList<SipBanEntry> bans, CancellationToken ct)
    {
        var names = bans.SelectMany(b => b.UsersTried).Distinct(StringComparer.Ordinal).ToList();
        var mine = new Dictionary<string, BannedEmployee>(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(Chunk))
        {
            // The main account's SIP data is the main account's own business (SipDataRights): others never see it named.
            var found = await db.SipAccounts.AsNoTracking().Where(s => chunk.Contains(s.UserName))
                .Join(db.Employees, s => s.EmployeeId, e => e.Id, (s, e) => new { s.UserName, e.Id, e.Name, e.IsMain })
                .Where(x => profile.IsMain || !x.IsMain)
                .ToListAsync(ct);
            foreach (var x in found)
            {
                mine[x.UserName] = new BannedEmployee(x.Id, x.Name, x.UserName);
            }
        }

        var rows = new List<SipBanRow>();
        foreach (var ban in bans)
        {
            var employees = ban.UsersTried.Where(mine.ContainsKey).Select(u => mine[u]).ToList();
            if (employees.Count > 0)
            {
                var others = ban.UsersTried.Count - employees.Count;
                rows.Add(new SipBanRow(ban.Address, ban.User, ban.Reason, ban.Failures, ban.SinceUtc, ban.UntilUtc,
                    employees, others, CanLift: others == 0, ban.Node));
            }
        }

        return rows;
    }
}
