using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Numbers;

/// <summary>Who starts an outbound call, which decides the number the client sees.</summary>
public enum CallKind
{
    /// <summary>The employee dials by hand on a SIP phone or an LPTracker SIM.</summary>
    Direct,

    /// <summary>The employee presses "Call" in the CRM (leads, deals, contacts, missed calls).</summary>
    Crm,

    /// <summary>A widget starts the call (call-back order, site form): a visitor's action, not the employee's.</summary>
    Widget,
}

/// <summary>
/// The caller ID rules of the help article. Direct → the employee's displayed number; CRM → the project's single
/// number; widget → always the project's single number. When the preferred number is not set, a direct or CRM call
/// falls back to the other one (the client should still see one of the account's numbers); a widget call has no
/// fallback and yields null, which the telephony module treats as "no caller ID configured".
/// </summary>
public static class CallerIdRules
{
    public static string? Choose(CallKind kind, string? displayedNumber, string? singleNumber) => kind switch
    {
        CallKind.Direct => displayedNumber ?? singleNumber,
        CallKind.Crm => singleNumber ?? displayedNumber,
        CallKind.Widget => singleNumber,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>Which kind of leg the PBX creates towards an employee.</summary>
public enum LegKind
{
    /// <summary>To the employee's SIP phone(s).</summary>
    Sip,

    /// <summary>Through the trunk to their mobile phone or LPTracker SIM.</summary>
    Carrier,
}

/// <summary>
/// The number an employee's device shows for an incoming call (General settings): the client's number, or the system
/// placeholder <see cref="HiddenClientNumber"/> when "hide the client's number" is on. A leg through the carrier
/// (mobile, SIM) always presents the dialled virtual number — never the client's, which the carrier would treat as
/// spoofed and which would leak a hidden number anyway.
/// </summary>
public static class IncomingCallerIdRules
{
    /// <summary>The placeholder shown instead of a hidden client number: +7 (812) 389-32-98.</summary>
    public const string HiddenClientNumber = "+78123893298";

    /// <summary>The caller ID of a leg; null means "anonymous" (the client withheld their number).</summary>
    public static string? Choose(LegKind leg, bool hideClientNumber, string? clientNumber, string dialledNumber) => leg switch
    {
        LegKind.Carrier => dialledNumber,
        LegKind.Sip when hideClientNumber => HiddenClientNumber,
        LegKind.Sip => clientNumber,
        _ => throw new ArgumentOutOfRangeException(nameof(leg), leg, null),
    };
}

/// <summary>Resolves the caller ID (E.164) of an outbound call from the database; used by the telephony module.</summary>
public sealed class CallerIdService(IDbContextFactory<LptrackerDbContext> dbFactory)
{
    /// <summary>
    /// The number the client sees, or null when none is configured. <paramref name="employeeId"/> and
    /// <paramref name="projectId"/> must belong to <paramref name="accountId"/>; others are ignored.
    /// </summary>
    public async Task<string?> ResolveAsync(int accountId, CallKind kind, int? employeeId, int? projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        var displayed = employeeId is { } e
            ? await db.Employees.Where(x => x.Id == e)
                .Join(db.Numbers, x => x.DisplayedNumberId, n => (int?)n.Id, (_, n) => n.E164).SingleOrDefaultAsync(ct)
            : null;
        var single = projectId is { } p
            ? await db.Projects.Where(x => x.Id == p)
                .Join(db.Numbers, x => x.SingleNumberId, n => (int?)n.Id, (_, n) => n.E164).SingleOrDefaultAsync(ct)
            : null;
        return CallerIdRules.Choose(kind, displayed, single);
    }
}
