using System.Collections.Concurrent;
using LPTracker.Core.Contacts;
using LPTracker.Core.Live;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Calls;

/// <summary>
/// What the incoming-call pop-up shows to one ringing employee. <see cref="ClientNumber"/> is null when the
/// employee hides client numbers (<see cref="NumberHidden"/>) or the caller withheld it. <see cref="Contact"/> is the
/// caller's contact among those the employee may open (Contacts section), null when none matches the number.
/// </summary>
public sealed record IncomingCallCard(
    Guid CallId, Guid LegId, int AccountId, int EmployeeId, string? ClientNumber, bool NumberHidden, int? ProjectId,
    string? ProjectName, string? DialledNumber, DateTime AtUtc, ContactMatch? Contact = null);

/// <summary>A pop-up opens (<see cref="Ended"/> false) or closes for its employee.</summary>
public sealed record PopUpChange(IncomingCallCard Card, bool Ended);

/// <summary>
/// Raises and closes incoming-call pop-ups per employee, applying the employee's "pop up the contact card" and
/// "hide the client's number" settings as they are when the phone starts ringing. Open cards are kept so a console
/// page opened while the phone rings shows them too. Publishes <see cref="PopUpChange"/>s keyed by employee id.
/// </summary>
public sealed class IncomingCallPopUps(
    IDbContextFactory<LptrackerDbContext> dbFactory, ContactLookup contacts, KeyedNotifier<PopUpChange> notifier)
{
    private readonly ConcurrentDictionary<Guid, IncomingCallCard> _open = new();

    /// <summary>The employee's open cards, oldest first.</summary>
    public IReadOnlyList<IncomingCallCard> OpenFor(int employeeId) =>
        _open.Values.Where(c => c.EmployeeId == employeeId).OrderBy(c => c.AtUtc).ToList();

    /// <summary>A leg rings: opens a card when the employee wants pop-ups.</summary>
    public async Task RingingAsync(CallLegEvent e, CancellationToken ct)
    {
        if (e.Outgoing)
        {
            // The employee is the one calling: there is no incoming call to announce.
            return;
        }

        await using var db = await dbFactory.ForTenantAsync(e.AccountId, ct);
        var employee = await db.Employees.AsNoTracking().Where(x => x.Id == e.EmployeeId)
            .Select(x => new { x.PopUpContactCard, x.HideClientNumber })
            .SingleOrDefaultAsync(ct);
        if (employee is not { PopUpContactCard: true })
        {
            return;
        }

        var project = e.ProjectId is { } projectId
            ? await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => p.Name).SingleOrDefaultAsync(ct)
            : null;
        // Looked up as the ringing employee: a card they may not open is never offered (nor its name shown).
        var contact = e.ClientNumber is { } number
            ? await contacts.FindByPhoneAsync(new CallerContext(e.AccountId, e.EmployeeId), number, ct)
            : null;
        var card = new IncomingCallCard(e.CallId, e.LegId, e.AccountId, e.EmployeeId,
            employee.HideClientNumber ? null : e.ClientNumber, employee.HideClientNumber, e.ProjectId, project, e.DialledNumber, e.AtUtc, contact);
        if (_open.TryAdd(e.LegId, card))
        {
            notifier.Publish(e.EmployeeId, new PopUpChange(card, Ended: false));
        }
    }

    /// <summary>A leg stopped ringing (declined, timed out, cancelled, or answered elsewhere).</summary>
    public void Close(Guid legId)
    {
        if (_open.TryRemove(legId, out var card))
        {
            notifier.Publish(card.EmployeeId, new PopUpChange(card, Ended: true));
        }
    }

    /// <summary>The call was answered by anyone, or ended: every card of it closes.</summary>
    public void CloseCall(Guid callId)
    {
        foreach (var card in _open.Values.Where(c => c.CallId == callId))
        {
            Close(card.LegId);
        }
    }
}
