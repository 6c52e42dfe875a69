using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// Writes a batch of transitions, one transaction per account (new rows as multi-row inserts). Bounded: an employee gets at most
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
        foreach (var account in batch.GroupBy(t => t.AccountId))
        {
            await WriteAccountAsync(account.Key, account.ToList(), ct);
        }

        SweepOldHours(batch);
    }

    private async Task WriteAccountAsync(int accountId, List<RegistrationTransition> transitions, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        var known = (await db.Employees.Where(e => transitions.Select(t => t.EmployeeId).Contains(e.Id)).Select(e => e.Id).ToListAsync(ct))
            .ToHashSet();
        var added = new List<(int EmployeeId, RegistrationEntry Row)>();
        foreach (var t in transitions.Where(t => known.Contains(t.EmployeeId)))
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

            var last = state.Last ?? await db.RegistrationEntries.SingleOrDefaultAsync(r => r.Id == state.LastId, ct);
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
            await BulkInsert.InsertWithNewIdsAsync(db, added.ConvertAll(a => a.Row), ct);
            await db.SaveChangesAsync(ct);
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
