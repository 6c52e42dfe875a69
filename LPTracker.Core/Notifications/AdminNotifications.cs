using System.Collections.Concurrent;
using LPTracker.Core.Live;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.Notifications;

/// <summary>The database-backed <see cref="IAdminNotifications"/>: fan-out per recipient, deduplicated, live.</summary>
public sealed class AdminNotifications(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    KeyedNotifier<NotificationChange> notifier,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<AdminNotifications> logger) : IAdminNotifications
{
    /// <summary>Cool-down keys kept before old ones are swept (one per account, kind and subject raised lately).</summary>
    private const int MaxCooldownKeys = 20_000;

    private readonly ConcurrentDictionary<(int AccountId, string Kind, string Key), DateTime> _lastRaised = new();

    /// <inheritdoc />
    public async Task RaiseAsync(int accountId, string kind, NotificationSubject subject, params string[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(subject.Key);
        var now = time.GetUtcNow().UtcDateTime;
        if (!PassesCooldown((accountId, kind, subject.Key), now))
        {
            return;
        }

        try
        {
            var recipients = await WriteAsync(accountId, kind, subject, args, now);
            foreach (var recipient in recipients)
            {
                notifier.Publish(recipient, new NotificationChange(recipient));
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            logger.LogError(ex, "Notification {Kind} about {Subject} of account {AccountId} was not saved", kind, subject.Key, accountId);
        }
    }

    private async Task<List<int>> WriteAsync(int accountId, string kind, NotificationSubject subject, string[] args, DateTime now)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId);
        var aboutMain = subject.EmployeeId is { } about && await db.Employees.AnyAsync(e => e.Id == about && e.IsMain);

        // Who may open the subject: the main account always; Employees-section holders unless it is the main account
        // (its editor is the main account's alone).
        var recipients = await db.Employees
            .Where(e => e.IsMain || (!aboutMain && (e.CommonSections & CommonSections.Employees) == CommonSections.Employees))
            .Select(e => e.Id)
            .ToListAsync();
        var since = now - options.Value.RepeatWindow;
        var open = await db.Notifications
            .Where(n => n.Kind == kind && n.SubjectKey == subject.Key && n.ReadUtc == null && n.LastUtc >= since)
            .ToDictionaryAsync(n => n.RecipientEmployeeId);
        var text = args.Select(a => a.Length > 300 ? a[..300] : a).ToList();
        foreach (var recipient in recipients)
        {
            if (open.TryGetValue(recipient, out var repeat))
            {
                repeat.Count++;
                repeat.LastUtc = now;
                repeat.Args = text;
                continue;
            }

            db.Notifications.Add(new AdminNotification
            {
                AccountId = accountId, RecipientEmployeeId = recipient, Kind = kind, SubjectKey = subject.Key,
                SubjectEmployeeId = subject.EmployeeId, Args = text, CreatedUtc = now, LastUtc = now,
            });
        }

        await db.SaveChangesAsync();
        return recipients;
    }

    private bool PassesCooldown((int, string, string) key, DateTime now)
    {
        var cooldown = options.Value.Cooldown;
        if (_lastRaised.TryGetValue(key, out var last) && now - last < cooldown)
        {
            return false;
        }

        _lastRaised[key] = now;
        if (_lastRaised.Count > MaxCooldownKeys)
        {
            foreach (var old in _lastRaised.Where(p => now - p.Value >= cooldown))
            {
                _lastRaised.TryRemove(old.Key, out _);
            }
        }

        return true;
    }
}
