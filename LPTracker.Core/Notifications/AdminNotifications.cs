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
    public Task RaiseAsync(int accountId, string kind, NotificationSubject subject, params string[] args) =>
        RaiseAllAsync(accountId, [new NotificationRaise(kind, subject, args)]);

    /// <inheritdoc />
    public async Task RaiseAllAsync(int accountId, IReadOnlyCollection<NotificationRaise> raises)
    {
        foreach (var raise in raises)
        {
            ArgumentException.ThrowIfNullOrEmpty(raise.Kind);
            ArgumentException.ThrowIfNullOrEmpty(raise.Subject.Key);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var passing = raises.Where(r => r.Tally > 0 || PassesCooldown((accountId, r.Kind, r.Subject.Key), now)).ToList();
        if (passing.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var recipient in await WriteAsync(accountId, passing, now))
            {
                notifier.Publish(recipient, new NotificationChange(recipient));
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(ex, "{Count} notifications ({Kind} about {Subject}…) of account {AccountId} were not saved",
                passing.Count, passing[0].Kind, passing[0].Subject.Key, accountId);
        }
    }

    /// <summary>Writes the raises in one transaction; returns every recipient told (each once).</summary>
    private async Task<HashSet<int>> WriteAsync(int accountId, List<NotificationRaise> raises, DateTime now)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId);

        // Who may open a subject: the main account always; Employees-section holders unless it is the main account
        // (its editor is the main account's alone).
        var admins = await db.Employees
            .Where(e => e.IsMain || (e.CommonSections & CommonSections.Employees) == CommonSections.Employees)
            .Select(e => new { e.Id, e.IsMain })
            .ToListAsync();
        var mains = admins.Where(a => a.IsMain).Select(a => a.Id).ToList();
        var everyone = admins.Select(a => a.Id).ToList();
        var since = now - options.Value.RepeatWindow;
        var kinds = raises.Select(r => r.Kind).Distinct().ToList();
        var keys = raises.Select(r => r.Subject.Key).Distinct().ToList();
        var open = (await db.Notifications
                .Where(n => kinds.Contains(n.Kind) && keys.Contains(n.SubjectKey) && n.ReadUtc == null && n.LastUtc >= since)
                .ToListAsync())
            .ToDictionary(n => (n.Kind, n.SubjectKey, n.RecipientEmployeeId));
        var told = new HashSet<int>();
        foreach (var raise in raises)
        {
            var text = raise.Args.Select(a => a.Length > 300 ? a[..300] : a).ToList();
            var aboutMain = raise.Subject.EmployeeId is { } about && mains.Contains(about);
            foreach (var recipient in aboutMain ? mains : everyone)
            {
                told.Add(recipient);
                if (open.TryGetValue((raise.Kind, raise.Subject.Key, recipient), out var repeat))
                {
                    repeat.Count++;
                    repeat.LastUtc = now;
                    repeat.Args = raise.Tally > 0 ? AddTally(repeat.Args, raise.Tally, text) : text;
                    continue;
                }

                var row = new AdminNotification
                {
                    AccountId = accountId, RecipientEmployeeId = recipient, Kind = raise.Kind, SubjectKey = raise.Subject.Key,
                    SubjectEmployeeId = raise.Subject.EmployeeId, Args = text, CreatedUtc = now, LastUtc = now,
                };
                db.Notifications.Add(row);
                open[(raise.Kind, raise.Subject.Key, recipient)] = row;
            }
        }

        await db.SaveChangesAsync();
        return told;
    }

    /// <summary>A summary's repeat: the first argument becomes the running total, the rest the newest text.</summary>
    private static List<string> AddTally(List<string> before, int tally, List<string> text)
    {
        var total = before.Count > 0 && int.TryParse(before[0], System.Globalization.CultureInfo.InvariantCulture, out var sum) ? sum + tally : tally;
        return [total.ToString(System.Globalization.CultureInfo.InvariantCulture), .. text.Skip(1)];
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
