using System.Runtime.CompilerServices;
using LPTracker.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace LPTracker.Core.Persistence;

/// <summary>
/// Writes the audit log in the same transaction as the change: before a save the change tracker's changes are
/// collected (and a transaction opened when the caller has none); after it, when ids of new rows are known, the
/// records are added and saved, then the transaction commits. A failed save rolls back and leaves no record; a
/// failed record write leaves no change. Records added by hand (bulk updates that bypass the tracker) are
/// stamped with the time and the ambient caller.
/// </summary>
public sealed class AuditInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, SaveState> _saves = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not LptrackerDbContext db || _saves.TryGetValue(db, out _))
        {
            return result; // Not ours, or the records' own save.
        }

        var manual = db.ChangeTracker.Entries<AuditRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        await StampAsync(db, manual, cancellationToken);
        var pending = AuditCollector.Collect(db.ChangeTracker);
        if (pending.Count > 0)
        {
            var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            _saves.AddOrUpdate(db, new SaveState(pending, owned));
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not LptrackerDbContext db || !_saves.TryGetValue(db, out var state) || state.Writing)
        {
            return result;
        }

        state.Writing = true;
        try
        {
            var records = state.Pending.Select(p => p.ToRecord()).ToList();
            await AuditValueResolver.ResolveAsync(db, records, cancellationToken);
            await StampAsync(db, records, cancellationToken);
            db.AddRange(records);
            await db.SaveChangesAsync(cancellationToken);
            if (state.Owned is { } tx)
            {
                await tx.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await EndAsync(db, state);
        }

        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is LptrackerDbContext db && _saves.TryGetValue(db, out var state) && !state.Writing)
        {
            await EndAsync(db, state);
        }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    /// <summary>Disposing an uncommitted transaction we opened rolls the change back.</summary>
    private async Task EndAsync(DbContext db, SaveState state)
    {
        _saves.Remove(db);
        if (state.Owned is { } tx)
        {
            await tx.DisposeAsync();
        }
    }

    private async Task StampAsync(LptrackerDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        if (records.Count == 0)
        {
            return;
        }

        var caller = CallerScope.Current;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var record in records)
        {
            record.OccurredUtc = now;
            record.ClientAddress ??= caller?.ClientAddress is { } a ? PendingAudit.Truncate(a, 64) : null;

            // Sign-in events have no signed-in caller yet: the employee signing in is the actor.
            record.ActorEmployeeId ??= caller?.EmployeeId
                ?? (record.Action is AuditAction.SignIn or AuditAction.SignInFailed or AuditAction.LockedOut ? record.TargetEmployeeId : null);
        }

        var actorIds = records.Where(r => r.ActorEmployeeId is not null && r.ActorName is null).Select(r => r.ActorEmployeeId!.Value).ToHashSet();
        if (actorIds.Count == 0)
        {
            return;
        }

        var actors = await db.Employees.IgnoreQueryFilters().AsNoTracking().Where(e => actorIds.Contains(e.Id))
            .Select(e => new { e.Id, e.AccountId, e.Name }).ToListAsync(ct);
        foreach (var record in records.Where(r => r.ActorEmployeeId is not null && r.ActorName is null))
        {
            // An actor from another account (never expected) is not written into this account's log.
            var actor = actors.FirstOrDefault(a => a.Id == record.ActorEmployeeId && a.AccountId == record.AccountId);
            record.ActorName = actor?.Name;
            record.ActorEmployeeId = actor?.Id;
        }
    }

    private sealed class SaveState(List<PendingAudit> pending, IDbContextTransaction? owned)
    {
        public List<PendingAudit> Pending { get; } = pending;

        public IDbContextTransaction? Owned { get; } = owned;

        public bool Writing { get; set; }
    }
}
