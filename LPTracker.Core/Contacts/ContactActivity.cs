using LPTracker.Core.Calls;
using LPTracker.Core.Crm;
using LPTracker.Core.Leads;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Core.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Contacts;

/// <summary>A call with one of the contact's numbers; <see cref="ClientNumber"/> is null for a viewer who hides numbers.</summary>
public sealed record ContactCallRow(
    Guid Id, CallDirection Direction, string? ClientNumber, DateTime StartedUtc, CallOutcome? Outcome, string? AnsweredBy, bool IsMissed);

/// <summary>
/// What the card lists under a contact. A list is null when the caller lacks its section in the contact's project
/// (Leads or Deals for leads, Tasks for tasks), so the card leaves it out instead of showing it empty.
/// </summary>
public sealed record ContactActivityView(IReadOnlyList<LeadRow>? Leads, IReadOnlyList<TaskRow>? Tasks, IReadOnlyList<ContactCallRow> Calls);

/// <summary>
/// The contact card's leads, tasks and calls, each through the rule of its own list: leads as the Leads/Deals lists
/// show them (see others, the overdue gate, the section of each stage's view), tasks as My tasks shows them, calls as
/// the call log shows them (all with Telephony, else only the caller's own; numbers withheld from who hides them).
/// </summary>
public sealed class ContactActivity(
    IDbContextFactory<LptrackerDbContext> dbFactory, CallLogService callLog, TimeProvider time, IStringLocalizer<ContactActivity> l)
{
    /// <summary>At most this many of each list, the most relevant first.</summary>
    public const int MaxRows = 50;

    public async Task<OperationResult<ContactActivityView>> LoadAsync(CallerContext caller, int contactId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId)
            .Select(c => new { c.ProjectId, Phones = c.Phones.Select(p => p.E164).ToList() }).SingleOrDefaultAsync(ct);
        if (contact is null)
        {
            return OperationResult<ContactActivityView>.Fail("", l["Contact.NotFound"]);
        }

        if (await CrmAccess.RequireAsync(db, caller, contact.ProjectId, ProjectSections.Contacts, ct: ct) is not { } scope
            || await callLog.ViewerAsync(caller, ct) is not { } viewer)
        {
            return OperationResult<ContactActivityView>.Fail("", l["Access.Denied"]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var leads = scope.Has(ProjectSections.Leads) || scope.Has(ProjectSections.Deals) ? await LeadsAsync(db, scope, contactId, now, ct) : null;
        var tasks = scope.Has(ProjectSections.Tasks) ? await TasksAsync(db, scope, contactId, now, ct) : null;
        var calls = await CallLogService.VisibleCalls(db, viewer)
            .Where(c => c.ClientNumber != null && contact.Phones.Contains(c.ClientNumber))
            .OrderByDescending(c => c.StartedUtc).Take(MaxRows)
            .Select(c => new
            {
                c.Id, c.Direction, c.ClientNumber, c.StartedUtc, c.Outcome, c.EndedUtc, c.AnsweredByEmployeeId,
                AnsweredBy = db.Employees.Where(e => e.Id == c.AnsweredByEmployeeId).Select(e => e.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return OperationResult<ContactActivityView>.Ok(new ContactActivityView(leads, tasks, calls.Select(c => new ContactCallRow(
            c.Id, c.Direction, viewer.HidesNumbers ? null : c.ClientNumber, c.StartedUtc, c.Outcome, c.AnsweredBy,
            c.Direction == CallDirection.Inbound && c.EndedUtc != null && c.AnsweredByEmployeeId == null)).ToList()));
    }

    private async Task<IReadOnlyList<LeadRow>> LeadsAsync(LptrackerDbContext db, CrmScope scope, int contactId, DateTime now, CancellationToken ct)
    {
        var stages = await FunnelStages.EnsureAsync(db, scope.AccountId, scope.ProjectId, l, ct);
        var shown = stages.Where(s => scope.Has(LeadVisibility.SectionOf(s.Kind))).Select(s => s.Id).ToList();
        var visible = (await LeadVisibility.ForAsync(db, scope, stages, now, ct)).Leads;
        var rows = await visible.Where(x => x.ContactId == contactId && shown.Contains(x.StageId))
            .OrderByDescending(x => x.UpdatedUtc).ThenByDescending(x => x.Id).Take(MaxRows)
            .Select(x => new
            {
                x.Id, x.Title, x.StageId, x.StepDateUtc, x.Amount,
                Owner = db.Employees.Where(e => e.Id == x.OwnerId).Select(e => e.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var stage = stages.Single(s => s.Id == r.StageId);
            return new LeadRow(r.Id, r.Title, null, stage.Name, stage.Kind, r.Owner, r.StepDateUtc, r.Amount,
                r.StepDateUtc < now && stage.Kind is StageKind.Lead or StageKind.Deal);
        }).ToList();
    }

    // The contact's own tasks and those on its leads, as the task list would show them to the caller.
    private static async Task<IReadOnlyList<TaskRow>> TasksAsync(LptrackerDbContext db, CrmScope scope, int contactId, DateTime now, CancellationToken ct)
    {
        var tasks = TaskQueries.Visible(db, scope)
            .Where(t => t.ContactId == contactId || db.Leads.Any(x => x.Id == t.LeadId && x.ContactId == contactId && !x.IsDeleted));
        return await TaskQueries.Rows(db, TaskQueries.Ordered(tasks).Take(MaxRows), now).ToListAsync(ct);
    }
}
