using System.Runtime.CompilerServices;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Notifications;

/// <summary>One notification as the bell shows it.</summary>
public sealed record NotificationItem(
    long Id, string Kind, int? SubjectEmployeeId, IReadOnlyList<string> Args, DateTime LastUtc, int Count, bool Read);

/// <summary>The bell's content: the newest notifications and how many are unread.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, int Unread)
{
    public static readonly NotificationPage Empty = new([], 0);
}

/// <summary>
/// The caller's own bell: list, unread count, mark read. Only the caller's rows in the caller's account, and only
/// while the caller still holds the Employees section (rights may have been taken since the notification was raised).
/// </summary>
public sealed class NotificationFeed(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    KeyedNotifier<NotificationChange> notifier,
    IOptions<NotificationOptions> options,
    TimeProvider time)
{
    private readonly ConditionalWeakTable<NotificationChange, Lazy<Task<NotificationPage>>> _afterChange = new();

    /// <summary>The newest notifications of the caller; empty without the Employees section.</summary>
    public async Task<NotificationPage> GetAsync(CallerContext caller, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is null)
        {
            return NotificationPage.Empty;
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var mine = db.Notifications.AsNoTracking().Where(n => n.RecipientEmployeeId == caller.EmployeeId);
        var unread = await mine.CountAsync(n => n.ReadUtc == null, ct);
        var rows = await mine.OrderByDescending(n => n.LastUtc).ThenByDescending(n => n.Id).Take(options.Value.ListSize)
            .ToListAsync(ct);
        return new NotificationPage(
            rows.Select(n => new NotificationItem(n.Id, n.Kind, n.SubjectEmployeeId, n.Args, n.LastUtc, n.Count, n.ReadUtc is not null)).ToList(),
            unread);
    }

    /// <summary>
    /// The caller's bell again after <paramref name="change"/> was published to them. Every open console of the
    /// recipient gets the same change object, so they share one load, started after the change was written (so it
    /// shows it): one administrator with ten tabs open costs one set of queries per change, not ten. Otherwise a
    /// mass outage's summary had a thousand circuits reload their bells at once, and live status on the same lists
    /// waited behind them (bench/README.md, "Notifications and the live list", session 7).
    /// </summary>
    public Task<NotificationPage> GetAfterAsync(CallerContext caller, NotificationChange change, CancellationToken ct = default)
    {
        if (change.RecipientEmployeeId != caller.EmployeeId)
        {
            return GetAsync(caller, ct);
        }

        // Keyed by the object (not the record's value): a later change is a new object and a new load. Not cancelled by
        // the first caller's token, since others wait on it too.
        return _afterChange.GetValue(change, _ => new Lazy<Task<NotificationPage>>(() => GetAsync(caller, CancellationToken.None)))
            .Value.WaitAsync(ct);
    }

    /// <summary>Marks one of the caller's notifications read; false when it is not the caller's (nothing changes).</summary>
    public Task<bool> MarkReadAsync(CallerContext caller, long id, CancellationToken ct = default) =>
        MarkAsync(caller, id, ct);

    /// <summary>Marks all the caller's notifications read.</summary>
    public Task<bool> MarkAllReadAsync(CallerContext caller, CancellationToken ct = default) =>
        MarkAsync(caller, null, ct);

    private async Task<bool> MarkAsync(CallerContext caller, long? id, CancellationToken ct)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is null)
        {
            return false;
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.Notifications
            .Where(n => n.RecipientEmployeeId == caller.EmployeeId && n.ReadUtc == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadUtc, now), ct);
        if (changed > 0)
        {
            notifier.Publish(caller.EmployeeId, new NotificationChange(caller.EmployeeId));
        }

        return changed > 0 || id is null;
    }
}
