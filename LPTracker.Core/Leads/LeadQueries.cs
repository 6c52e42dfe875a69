using System.Globalization;
using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Leads;

/// <summary>The Leads and Deals lists and the lead card, with every visibility rule applied in the database.</summary>
public sealed class LeadQueries(IDbContextFactory<LptrackerDbContext> dbFactory, TimeProvider time, IStringLocalizer<LeadQueries> l)
{
    /// <summary>One page of the current project's leads (or deals), step date first, the overdue gate applied.</summary>
    public async Task<OperationResult<LeadListPage>> ListAsync(CallerContext caller, LeadListQuery query, CancellationToken ct = default)
    {
        if (query.Search is { Length: > Limits.SearchTerm })
        {
            return OperationResult<LeadListPage>.Fail(nameof(query.Search), l["EmployeeList.Error.SearchTooLong", Limits.SearchTerm]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var section = query.View == LeadView.Leads ? ProjectSections.Leads : ProjectSections.Deals;
        if (await CrmAccess.CurrentProjectIdAsync(db, caller, ct) is not { } projectId
            || await CrmAccess.RequireAsync(db, caller, projectId, section, ct: ct) is not { } scope)
        {
            return OperationResult<LeadListPage>.Fail("", l["Access.Denied"]);
        }

        var stages = await FunnelStages.EnsureAsync(db, caller.AccountId, projectId, l, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var visible = await LeadVisibility.ForAsync(db, scope, stages, now, ct);
        var filtered = Filter(visible, query, scope.EmployeeId, now);
        var pageSize = Math.Clamp(query.PageSize, 1, LeadListQuery.MaxPageSize);
        var (rows, total) = await LeadListPager.ReadAsync(
            db, filtered, EmployeeListSearch.Normalize(query.Search) is not null, Math.Max(0, query.Page) * pageSize, pageSize, ct);
        var result = rows.Select(r =>
        {
            var stage = stages.Single(s => s.Id == r.StageId);
            var isOverdue = r.StepDateUtc < now && stage.Kind is StageKind.Lead or StageKind.Deal;
            return new LeadRow(r.Id, r.Title, r.ContactName is null ? null : Contact.DisplayName(r.ContactName, r.Company, null, null),
                stage.Name, stage.Kind, r.Owner, r.StepDateUtc, r.Amount, isOverdue);
        }).ToList();
        return OperationResult<LeadListPage>.Ok(new LeadListPage(result, total, visible.GatedOverdue, projectId, stages));
    }

    /// <summary>The card of a lead the caller may see; a hidden lead typed in the URL is refused.</summary>
    public async Task<OperationResult<LeadCard>> GetAsync(CallerContext caller, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var access = await LeadAccess.OpenAsync(db, caller, id, now, ct);
        if (access.Error is { } error)
        {
            return OperationResult<LeadCard>.Fail("", l[error]);
        }

        var (lead, scope) = (access.Lead!, access.Scope!);
        var stages = await FunnelStages.EnsureAsync(db, caller.AccountId, lead.ProjectId, l, ct);
        var contact = await db.Contacts.Where(c => c.Id == lead.ContactId).Select(c => new { c.Name, c.Company }).FirstOrDefaultAsync(ct);
        var names = await db.Employees.Select(e => new { e.Id, e.Name }).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        var history = await db.LeadChanges.AsNoTracking().Where(c => c.LeadId == id).OrderBy(c => c.AtUtc).ThenBy(c => c.Id).ToListAsync(ct);
        var stage = lead.Stage!;
        return OperationResult<LeadCard>.Ok(new LeadCard(
            lead.Id, lead.ProjectId, lead.Title, lead.ContactId, contact is null ? null : Contact.DisplayName(contact.Name, contact.Company, null, null),
            lead.StageId, stage.Name, stage.Kind, lead.OwnerId, lead.OwnerId is { } o ? names.GetValueOrDefault(o) : null,
            lead.StepDateUtc, lead.Amount, lead.Source, lead.CreatedUtc, lead.UpdatedUtc,
            lead.StepDateUtc < now && stage.Kind is StageKind.Lead or StageKind.Deal, lead.Version,
            history.Select(h => new LeadHistoryLine(h.AtUtc, h.EmployeeId is { } e ? names.GetValueOrDefault(e) : null, h.Field,
                Describe(h.Field, h.OldValue, stages, names), Describe(h.Field, h.NewValue, stages, names), h.Reason)).ToList(),
            stages, scope.Has(EmployeePermissions.TransferToOthers), !scope.Has(EmployeePermissions.SkipStepDateReason),
            scope.Has(EmployeePermissions.DeleteData)));
    }

    /// <summary>The list's filters over the visible leads; the export applies the same.</summary>
    internal static IQueryable<Lead> Filter(VisibleLeads visible, LeadListQuery query, int me, DateTime now)
    {
        var viewStages = LeadVisibility.ViewStageIds(visible.Stages, query.View);
        var leads = visible.Leads.Where(x => viewStages.Contains(x.StageId));
        leads = query.Owner switch
        {
            LeadOwnerFilter.Mine => leads.Where(x => x.OwnerId == me),
            LeadOwnerFilter.Pool => leads.Where(x => x.OwnerId == null),
            _ => leads,
        };
        if (query.StageId is { } stageId)
        {
            leads = leads.Where(x => x.StageId == stageId);
        }

        if (query.OverdueOnly)
        {
            leads = leads.Where(LeadVisibility.Overdue(LeadVisibility.OpenStageIds(visible.Stages), now));
        }

        return EmployeeListSearch.Normalize(query.Search) is { } term ? leads.Where(x => x.SearchText.Contains(term)) : leads;
    }

    // History stores ids (stages and employees may be renamed): shown by their current names.
    private static string? Describe(LeadField field, string? value, List<FunnelStage> stages, Dictionary<int, string> names) =>
        value is null ? null
        : field == LeadField.Stage && int.TryParse(value, out var s) ? stages.Find(x => x.Id == s)?.Name ?? value
        : field == LeadField.Owner && int.TryParse(value, out var e) ? names.GetValueOrDefault(e, value)
        : field == LeadField.StepDate && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d)
            ? d.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
        : value;
}
