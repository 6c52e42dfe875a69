using LPTracker.Core.Live;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Calls;

/// <summary>A batch of an account's call log was written: open call logs reload.</summary>
public sealed record CallLogChange(int AccountId);

/// <summary>
/// Writes batches of call events to the log: one tenant context and one transaction per account in the batch, the
/// events applied in order. An event about a call or leg that is not there (its start was dropped) is skipped.
/// </summary>
public sealed class CallLogWriter(IDbContextFactory<LptrackerDbContext> dbFactory, KeyedNotifier<CallLogChange> notifier)
{
    private const int MaxAttempts = 4;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Applies the events; afterwards every account touched is announced to open logs.</summary>
    public async Task WriteAsync(IReadOnlyList<object> batch, CancellationToken ct)
    {
        foreach (var account in batch.GroupBy(AccountOf))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await WriteAccountAsync(account.Key, account, ct);
                    break;
                }
                catch (Exception ex) when (attempt < MaxAttempts
                    && ex is System.Data.Common.DbException or DbUpdateException)
                {
                    // SQLite answers SQLITE_BUSY at once (no busy wait) when another writer committed after this
                    // transaction began reading; the account's events were rolled back together, so running them
                    // again is safe. Dropping them would lose the call's start and, with it, every later event.
                    await Task.Delay(RetryDelay * attempt, ct);
                }
            }

            notifier.Publish(account.Key, new CallLogChange(account.Key));
        }
    }

    private async Task WriteAccountAsync(int accountId, IEnumerable<object> events, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var e in events)
        {
            await ApplyAsync(db, e, ct);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    private static int AccountOf(object e) => e switch
    {
        CallStartedEvent s => s.AccountId,
        CallLegEvent l => l.AccountId,
        LegAnswered a => a.Leg.AccountId,
        CallLegEndedEvent l => l.AccountId,
        CallEndedEvent c => c.AccountId,
        _ => throw new ArgumentException($"Not a call event: {e.GetType().Name}", nameof(e)),
    };

    private static Task ApplyAsync(LptrackerDbContext db, object e, CancellationToken ct) => e switch
    {
        CallStartedEvent s => StartAsync(db, s, ct),
        CallLegEvent r => RingAsync(db, r, ct),
        LegAnswered a => AnswerAsync(db, a.Leg, ct),
        CallLegEndedEvent x => EndLegAsync(db, x, ct),
        CallEndedEvent c => EndAsync(db, c, ct),
        _ => Task.CompletedTask,
    };

    private static async Task StartAsync(LptrackerDbContext db, CallStartedEvent s, CancellationToken ct)
    {
        if (await db.Calls.FindAsync([s.CallId], ct) is not null)
        {
            return;
        }

        db.Calls.Add(new Call
        {
            Id = s.CallId, AccountId = s.AccountId, ProjectId = s.ProjectId, Direction = s.Direction,
            ClientNumber = s.ClientNumber, DialledNumber = s.DialledNumber, InitiatorEmployeeId = s.InitiatorEmployeeId,
            StartedUtc = s.AtUtc,
        });
    }

    private static async Task RingAsync(LptrackerDbContext db, CallLegEvent r, CancellationToken ct)
    {
        if (await db.Calls.FindAsync([r.CallId], ct) is not null && await db.CallLegs.FindAsync([r.LegId], ct) is null)
        {
            db.CallLegs.Add(new CallLeg { Id = r.LegId, CallId = r.CallId, AccountId = r.AccountId, EmployeeId = r.EmployeeId, StartedUtc = r.AtUtc });
        }
    }

    private static async Task EndLegAsync(LptrackerDbContext db, CallLegEndedEvent x, CancellationToken ct)
    {
        if (await db.CallLegs.FindAsync([x.LegId], ct) is { } leg)
        {
            leg.EndedUtc ??= x.AtUtc;
            leg.Outcome ??= leg.AnsweredUtc is null ? x.Outcome : CallOutcome.Answered;
        }
    }

    private static async Task AnswerAsync(LptrackerDbContext db, CallLegEvent a, CancellationToken ct)
    {
        if (await db.Calls.FindAsync([a.CallId], ct) is not { } call)
        {
            return;
        }

        var leg = await db.CallLegs.FindAsync([a.LegId], ct);
        if (leg is null)
        {
            // Answered without a ringing event (e.g. an auto-answering phone reported only the answer).
            leg = new CallLeg { Id = a.LegId, CallId = a.CallId, AccountId = a.AccountId, EmployeeId = a.EmployeeId, StartedUtc = a.AtUtc };
            db.CallLegs.Add(leg);
        }

        leg.AnsweredUtc ??= a.AtUtc;
        call.AnsweredUtc ??= a.AtUtc;
        call.AnsweredByEmployeeId ??= a.EmployeeId;
    }

    private static async Task EndAsync(LptrackerDbContext db, CallEndedEvent c, CancellationToken ct)
    {
        if (await db.Calls.FindAsync([c.CallId], ct) is not { } call)
        {
            return;
        }

        call.EndedUtc ??= c.AtUtc;
        call.Outcome ??= c.Outcome;
        call.AnsweredByEmployeeId ??= c.AnsweredByEmployeeId;

        // Legs the B2BUA did not end one by one end with the call.
        foreach (var leg in await db.CallLegs.Where(l => l.CallId == call.Id && l.EndedUtc == null).ToListAsync(ct))
        {
            leg.EndedUtc = c.AtUtc;
            leg.Outcome = leg.AnsweredUtc is not null ? CallOutcome.Answered
                : c.Outcome == CallOutcome.Answered ? CallOutcome.Cancelled
                : c.Outcome;
        }
    }
}
