using LPTracker.Core.Crm;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Leads;

/// <summary>A stage as Project settings → Funnel edits it; Id 0 = new.</summary>
public sealed class StageForm
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public StageKind Kind { get; set; }
}

/// <summary>
/// A project's funnel: the default stages (created the first time any CRM page of the project needs them, so new and
/// existing projects get them alike), reading, and editing in Project settings.
/// </summary>
public sealed class FunnelStages(IDbContextFactory<LptrackerDbContext> dbFactory, IStringLocalizer<FunnelStages> l)
{
    /// <summary>The stages of a project the caller has access to, in funnel order.</summary>
    public async Task<IReadOnlyList<FunnelStage>> ListAsync(CallerContext caller, int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        return await CrmAccess.RequireAsync(db, caller, projectId, ProjectSections.None, ct: ct) is null
            ? []
            : await EnsureAsync(db, caller.AccountId, projectId, l, ct);
    }

    /// <summary>Replaces the funnel (Project settings section): order as given; a stage with leads cannot go.</summary>
    public async Task<OperationResult> SaveAsync(CallerContext caller, int projectId, IReadOnlyList<StageForm> stages, CancellationToken ct = default)
    {
        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        if (await CrmAccess.RequireAsync(db, caller, projectId, ProjectSections.ProjectSettings, ct: ct) is null)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        if (Validate(stages) is { } error)
        {
            return OperationResult.Fail("", error);
        }

        var existing = await EnsureAsync(db, caller.AccountId, projectId, l, ct, tracked: true);
        var removed = existing.Where(s => !stages.Any(f => f.Id == s.Id)).ToList();
        var removedIds = removed.Select(s => s.Id).ToList();
        if (await db.Leads.AnyAsync(x => removedIds.Contains(x.StageId), ct))
        {
            return OperationResult.Fail("", l["Stages.InUse"]);
        }

        if (stages.Any(f => f.Id != 0 && !existing.Any(s => s.Id == f.Id)))
        {
            return OperationResult.Fail("", l["Stages.NotFound"]);
        }

        // Positions are unique per project, so a reorder goes in two steps in one transaction: the kept stages first
        // move out of the way (negative positions), then every stage takes its new one.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Stages.RemoveRange(removed);
        var kept = existing.Except(removed).ToList();
        for (var i = 0; i < kept.Count; i++)
        {
            kept[i].Order = -(i + 1);
        }

        await db.SaveChangesAsync(ct);
        for (var i = 0; i < stages.Count; i++)
        {
            var form = stages[i];
            var stage = existing.Find(s => s.Id == form.Id && form.Id != 0)
                ?? db.Stages.Add(new FunnelStage { AccountId = caller.AccountId, ProjectId = projectId }).Entity;
            (stage.Name, stage.Kind, stage.Order) = (form.Name.Trim(), form.Kind, i + 1);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return OperationResult.Ok();
    }

    private string? Validate(IReadOnlyList<StageForm> stages) =>
        stages.Count is 0 or > Limits.FunnelStages ? l["Stages.Count", Limits.FunnelStages].Value
        : stages.Any(s => string.IsNullOrWhiteSpace(s.Name)) ? l["Validation.Required"].Value
        : stages.Any(s => s.Name.Trim().Length > Limits.StageName) ? l["Validation.TooLong", Limits.StageName].Value
        : stages.Any(s => !Enum.IsDefined(s.Kind)) ? l["Employee.InvalidValue"].Value
        : !stages.Any(s => s.Kind == StageKind.Lead) ? l["Stages.NeedLeadStage"].Value
        : null;

    /// <summary>The project's stages, creating the defaults when it has none.</summary>
    internal static async Task<List<FunnelStage>> EnsureAsync(
        LptrackerDbContext db, int accountId, int projectId, IStringLocalizer l, CancellationToken ct, bool tracked = false)
    {
        var query = db.Stages.Where(s => s.ProjectId == projectId).OrderBy(s => s.Order);
        var stages = await (tracked ? query : query.AsNoTracking()).ToListAsync(ct);
        if (stages.Count > 0)
        {
            return stages;
        }

        (string Key, StageKind Kind)[] defaults =
        [
            ("Stages.Default.New", StageKind.Lead), ("Stages.Default.InWork", StageKind.Lead),
            ("Stages.Default.Negotiation", StageKind.Deal), ("Stages.Default.Invoice", StageKind.Deal),
            ("Stages.Default.Won", StageKind.Won), ("Stages.Default.Lost", StageKind.Lost),
        ];
        stages = defaults.Select((d, i) => new FunnelStage
        {
            AccountId = accountId, ProjectId = projectId, Name = l[d.Key], Kind = d.Kind, Order = i + 1,
        }).ToList();
        db.Stages.AddRange(stages);
        try
        {
            await db.SaveChangesAsync(ct);
            return stages;
        }
        catch (DbUpdateException)
        {
            // Another request created the funnel first (the unique position index refused ours): use its stages.
            db.ChangeTracker.Clear();
            var winners = await (tracked ? query : query.AsNoTracking()).ToListAsync(ct);
            if (winners.Count == 0)
            {
                throw;
            }

            return winners;
        }
    }
}
