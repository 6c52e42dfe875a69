using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// Writes a batch of transitions in one transaction, whatever accounts it spans (new rows as multi-row inserts). Bounded: an employee gets at most
/// <see cref="RegistrationHistoryOptions.MaxPerHour"/> rows per clock hour; beyond that each transition overwrites the
/// hour's last row with the newest state (so the current state stays right) and counts itself in
/// <see cref="RegistrationEntry.Folded"/>. The hourly counts live in memory (one small entry per employee active
/// this hour); after a restart an hour can get at most twice the cap. Decision 0029.
/// </summary>
public sealed class RegistrationHistoryWriter(IDbContextFactory<LptrackerDbContext> dbFactory, IOptions<RegistrationHistoryOptions> options)
{
    private readonly Dictionary<int, HourState> _hours = [];

    /// <summary>Writes the transitions (in order); called by one reader at a time.</summary>
    public async Task WriteAsync(IReadOnlyList<RegistrationTransition> batch, CancellationToken ct)
    {
        if (batch.Count > 0)
        {
            await WriteBatchAsync(batch, ct);
        }

        SweepOldHours(batch);
    }

    /// <summary>
    /// One context and one transaction for the whole batch, whatever accounts it spans. With one per account, a batch
    /// from 1,000 changes/s over hundreds of accounts was hundreds of transactions and the writer fell behind its queue
    /// (bench/README.md, "History under the flood"). The context has no tenant, so tenancy is kept here: a row is
    /// written only when its employee belongs to the account the transition names.
    /// </summary>
    private async Task WriteBatchAsync(IReadOnlyList<RegistrationTransition> batch, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await KnownAsync(db, batch.Select(t => t.EmployeeId).Distinct().ToList(), ct);
        var added = new List<(int EmployeeId, RegistrationEntry Row)>();
        foreach (var t in batch.Where(t => known.Contains((t.AccountId, t.EmployeeId))))
        {
            var hour = new DateTime(t.AtUtc.Year, t.AtUtc.Month, t.AtUtc.Day, t.AtUtc.Hour, 0, 0, DateTimeKind.Utc);
            var state = _hours.TryGetValue(t.EmployeeId, out var s) && s.Hour == hour ? s : new HourState(hour);
            _hours[t.EmployeeId] = state;
            if (state.Count < options.Value.MaxPerHour || state.Last is null && state.LastId is null)
            {
                var row = ToRow(t);
                state.Count++;
                state.Last = row;
                added.Add((t.EmployeeId, row));
                continue;
            }

            var last = state.Last ?? await db.RegistrationEntries.IgnoreQueryFilters()
                .SingleOrDefaultAsync(r => r.Id == state.LastId && r.AccountId == t.AccountId, ct);
            if (last is null)
            {
                continue;
            }

            Fold(last, t);
            state.Last = last;
        }

        try
        {
            // New rows go in as multi-row inserts: after a restart every phone's first REGISTER is a row here, and
            // tracked entities (an INSERT … RETURNING each, through the change tracker) took more CPU than the
            // registrations themselves (bench/README.md, "Registrar right after a restart"). Folds into rows of
            // earlier batches stay tracked updates (rare: past MaxPerHour).
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await InsertAsync(db, added.ConvertAll(a => a.Row), ct);
            await tx.CommitAsync(ct);

            // Later batches fold into these rows by id (the tracked entities die with this context).
            foreach (var (employeeId, _) in added)
            {
                var state = _hours[employeeId];
                state.LastId = state.Last?.Id;
            }
        }
        finally
        {
            foreach (var state in _hours.Values)
            {
                state.Last = null;
            }
        }
    }

    /// <summary>(account, employee) of the <paramref name="ids"/> that exist.</summary>
    private static async Task<HashSet<(int AccountId, int Id)>> KnownAsync(LptrackerDbContext db, List<int> ids, CancellationToken ct) =>
        // One parameter for the list (not one per id, EF 10's default): one SQL text for every batch size, bound
        // without SQLite's by-name scan per parameter (decision 0086).
        (await db.Employees.IgnoreQueryFilters().Where(e => EF.Parameter(ids).Contains(e.Id))
            .Select(e => new { e.Id, e.AccountId }).ToListAsync(ct))
            .Select(e => (e.AccountId, e.Id)).ToHashSet();

    /// <summary>The new rows, then the folds into tracked rows, inside the caller's transaction.</summary>
    private static async Task InsertAsync(LptrackerDbContext db, List<RegistrationEntry> rows, CancellationToken ct)
    {
        await BulkInsert.InsertWithNewIdsAsync(db, rows, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How many times <see cref="WarmUpAsync"/> runs the writer's statements: past the tiered JIT's 30 calls,
    /// so the registrar's warm-up, which waits until the JIT is quiet (decision 0079), waits for their optimised code.</summary>
    internal const int WarmUpWrites = 40;

    /// <summary>
    /// Runs the writer's statements (the employees query, the id reservation and multi-row insert, the save)
    /// <see cref="WarmUpWrites"/> times for one existing employee in a transaction that is rolled back: nothing is
    /// written and the hourly counts are not touched. Right after a restart every phone's first REGISTER is a history
    /// row, and the first batches otherwise paid EF's query compilation and the JIT of this path on the cores the SIP
    /// threads need (bench/README.md, "Cold path, session 8"; decision 0087, as 0080 for the bindings writer).
    /// </summary>
    public async Task WarmUpAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Employees.IgnoreQueryFilters().OrderBy(e => e.Id).Select(e => new { e.Id, e.AccountId })
                .FirstOrDefaultAsync(ct) is not { } employee)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        for (var i = 0; i < WarmUpWrites; i++)
        {
            var transition = new RegistrationTransition(employee.AccountId, employee.Id, true, RegistrationReason.Registered,
                DateTime.UtcNow, "warm-up", "127.0.0.1:9", "UDP");
            if ((await KnownAsync(db, [employee.Id], ct)).Contains((transition.AccountId, transition.EmployeeId)))
            {
                await InsertAsync(db, [ToRow(transition)], ct);
            }
        }

        await tx.RollbackAsync(ct);
    }

    private static RegistrationEntry ToRow(RegistrationTransition t) => new()
    {
        AccountId = t.AccountId, EmployeeId = t.EmployeeId, AtUtc = t.AtUtc, Online = t.Online, Reason = t.Reason,
        Device = Cut(t.Device, Limits.RegistrationDevice), Address = Cut(t.Address, 64), Transport = Cut(t.Transport, 8),
    };

    private static void Fold(RegistrationEntry last, RegistrationTransition t)
    {
        last.Folded++;
        last.AtUtc = t.AtUtc;
        last.Online = t.Online;
        last.Reason = t.Reason;
        last.Device = Cut(t.Device, Limits.RegistrationDevice);
        last.Address = Cut(t.Address, 64);
        last.Transport = Cut(t.Transport, 8);
    }

    private static string? Cut(string? value, int max) => value is { Length: > 0 } v && v.Length > max ? v[..max] : value;

    /// <summary>Forgets employees whose hour is over, so the map holds only this hour's active employees.</summary>
    private void SweepOldHours(IReadOnlyList<RegistrationTransition> batch)
    {
        if (_hours.Count < 1000 || batch.Count == 0)
        {
            return;
        }

        var newest = batch.Max(t => t.AtUtc).AddHours(-1);
        foreach (var old in _hours.Where(p => p.Value.Hour < newest).Select(p => p.Key).ToList())
        {
            _hours.Remove(old);
        }
    }

    private sealed class HourState(DateTime hour)
    {
        public DateTime Hour { get; } = hour;

        public int Count { get; set; }

        public long? LastId { get; set; }

        public RegistrationEntry? Last { get; set; }
    }
}
