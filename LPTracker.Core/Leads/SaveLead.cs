using System.Globalization;
using LPTracker.Core.Contacts;
using LPTracker.Core.Crm;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Leads;

/// <summary>
/// Creates or edits a lead. The rules, in order: the section of the lead's view (and of the target stage's view);
/// the lead visible to the caller; no lost update (the later save is told); an owner other than the caller, or taking
/// a lead from someone, needs "transfer" (taking a pool lead for yourself does not); moving an existing step date
/// needs a reason without "skip the reason". Every stage, owner and step-date change is logged with who and why.
/// </summary>
public sealed class SaveLead(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    LeadFormValidator validator,
    TimeProvider time,
    IStringLocalizer<SaveLead> l)
{
    public async Task<OperationResult<int>> SaveAsync(CallerContext caller, LeadForm form, CancellationToken ct = default)
    {
        var validation = await validator.ValidateAsync(form, ct);
        if (!validation.IsValid)
        {
            return OperationResult<int>.Fail(validation);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        Lead lead;
        CrmScope? scope;
        if (form.Id == 0)
        {
            lead = new Lead { AccountId = caller.AccountId, ProjectId = form.ProjectId, CreatedUtc = now };
            scope = await CrmAccess.RequireAsync(db, caller, form.ProjectId, ProjectSections.None, ct: ct);
            if (scope is null)
            {
                return OperationResult<int>.Fail("", l["Access.Denied"]);
            }
        }
        else
        {
            var access = await LeadAccess.OpenAsync(db, caller, form.Id, now, ct, tracked: true);
            if (access.Error is { } error)
            {
                return OperationResult<int>.Fail("", l[error]);
            }

            (lead, scope) = (access.Lead!, access.Scope!);
            if (lead.Version != form.Version)
            {
                return OperationResult<int>.Fail("", l["Lead.Conflict"]);
            }
        }

        var stages = await FunnelStages.EnsureAsync(db, caller.AccountId, lead.ProjectId, l, ct);
        var stage = form.StageId == 0 ? stages.First(s => s.Kind == StageKind.Lead) : stages.Find(s => s.Id == form.StageId);
        if (stage is null)
        {
            return OperationResult<int>.Fail(nameof(LeadForm.StageId), l["Lead.StageNotFound"]);
        }

        if (!scope.Has(LeadVisibility.SectionOf(stage.Kind)))
        {
            return OperationResult<int>.Fail("", l["Access.Denied"]);
        }

        if (await CheckAsync(db, scope, lead, form, ct) is { } refusal)
        {
            return OperationResult<int>.Fail(refusal.Field, l[refusal.Key]);
        }

        Log(db, lead, form, stage, caller.EmployeeId, now);
        (lead.Title, lead.ContactId, lead.StageId, lead.OwnerId) = (form.Title.Trim(), form.ContactId, stage.Id, form.OwnerId);
        (lead.StepDateUtc, lead.Amount, lead.Source, lead.UpdatedUtc) = (form.StepDateUtc, form.Amount, Blank(form.Source), now);
        lead.RefreshSearchText();
        return await VersionedSave.SaveAsync(db, lead, form.Version, () => l["Lead.Conflict"], ct);
    }

    private static async Task<(string Field, string Key)?> CheckAsync(LptrackerDbContext db, CrmScope scope, Lead lead, LeadForm form, CancellationToken ct)
    {
        var ownerChanges = lead.Id == 0 ? form.OwnerId is { } o && o != scope.EmployeeId : form.OwnerId != lead.OwnerId;
        var takesFromPool = lead.OwnerId is null && form.OwnerId == scope.EmployeeId;
        if (ownerChanges && !takesFromPool && !scope.Has(EmployeePermissions.TransferToOthers))
        {
            return (nameof(LeadForm.OwnerId), "Lead.TransferDenied");
        }

        if (ownerChanges && form.OwnerId is { } ownerId
            && !await ContactQueries.ProjectEmployees(db, lead.ProjectId).AnyAsync(e => e.Id == ownerId, ct))
        {
            return (nameof(LeadForm.OwnerId), "Crm.OwnerNotInProject");
        }

        if (lead.Id != 0 && lead.StepDateUtc is not null && form.StepDateUtc != lead.StepDateUtc
            && string.IsNullOrWhiteSpace(form.StepDateReason) && !scope.Has(EmployeePermissions.SkipStepDateReason))
        {
            return (nameof(LeadForm.StepDateReason), "Lead.ReasonRequired");
        }

        if (form.ContactId is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId && c.ProjectId == lead.ProjectId, ct))
        {
            return (nameof(LeadForm.ContactId), "Contact.NotFound");
        }

        return null;
    }

    /// <summary>Logs what saving <paramref name="form"/> over <paramref name="lead"/> changes; call before the lead takes the form's values (the import reuses it).</summary>
    internal static void Log(LptrackerDbContext db, Lead lead, LeadForm form, FunnelStage stage, int employeeId, DateTime now) =>
        db.LeadChanges.AddRange(Changes(lead, form, stage, employeeId, now));

    /// <summary>The history rows of <see cref="Log"/>, not yet added (the import writes those of new leads itself).</summary>
    internal static List<LeadChange> Changes(Lead lead, LeadForm form, FunnelStage stage, int employeeId, DateTime now)
    {
        var changes = new List<LeadChange>();
        var reason = Blank(form.StepDateReason);
        void Add(LeadField field, string? from, string? to, string? why = null) => changes.Add(new LeadChange
        {
            AccountId = lead.AccountId, Lead = lead, AtUtc = now, EmployeeId = employeeId, Field = field, OldValue = from, NewValue = to, Reason = why,
        });

        if (lead.Id == 0)
        {
            Add(LeadField.Created, null, lead.Title);
        }

        if (lead.Id == 0 || stage.Id != lead.StageId)
        {
            Add(LeadField.Stage, lead.Id == 0 ? null : Id(lead.StageId), Id(stage.Id));
        }

        if (lead.Id == 0 ? form.OwnerId is not null : form.OwnerId != lead.OwnerId)
        {
            Add(LeadField.Owner, Id(lead.OwnerId), Id(form.OwnerId));
        }

        if (lead.Id == 0 ? form.StepDateUtc is not null : form.StepDateUtc != lead.StepDateUtc)
        {
            Add(LeadField.StepDate, Date(lead.Id == 0 ? null : lead.StepDateUtc), Date(form.StepDateUtc), reason);
        }

        return changes;
    }

    private static string? Id(int? id) => id?.ToString(CultureInfo.InvariantCulture);

    private static string? Date(DateTime? utc) => utc?.ToString("O", CultureInfo.InvariantCulture);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
