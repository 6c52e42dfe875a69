using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Telephony.Bans;

/// <summary>
/// Lists the registrar's bans that concern the caller's account (every node's: see <see cref="ISipBanRegistry"/>).
/// Open to the main account and to employees with the Employees section, the people told about bans.
/// </summary>
public sealed class SipBanList(
    IDbContextFactory<LptrackerDbContext> dbFactory, AccessService access, ISipBanRegistry registry, IStringLocalizer<SipBanList> l)
{
    public async Task<OperationResult<IReadOnlyList<SipBanRow>>> ListAsync(CallerContext caller, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is not { } profile)
        {
            return OperationResult<IReadOnlyList<SipBanRow>>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        return OperationResult<IReadOnlyList<SipBanRow>>.Ok(await SipBanScope.RowsAsync(db, profile, registry.Active(), ct));
    }
}
