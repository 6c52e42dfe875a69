using LPTracker.Core.Notifications;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>
/// Tells the administrators what <see cref="RegistrationAlertQueue"/> gathered, one window
/// (<see cref="NotificationOptions.OfflineWindow"/>) at a time and per account at once (decision 0081): which of the
/// window's offline phones belong to Working employees is one query per account, the phones are told one by one or
/// as one summary (<see cref="OfflineDigest"/>), bans as they are, and all of an account's notifications of the window
/// are one write and one bell refresh per administrator (<see cref="IAdminNotifications.RaiseAllAsync"/>).
/// </summary>
public sealed class RegistrationAlertPump(
    RegistrationAlertQueue queue,
    IAdminNotifications notifications,
    IDbContextFactory<LptrackerDbContext> dbFactory,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<RegistrationAlertPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = options.Value.OfflineWindow > TimeSpan.Zero ? options.Value.OfflineWindow : TimeSpan.FromSeconds(5);
        var digest = new OfflineDigest(options.Value.OfflineIndividualLimit, options.Value.Cooldown);
        var batch = new List<object>();
        Task<bool>? ready = null;
        try
        {
            while (true)
            {
                ready ??= queue.Reader.WaitToReadAsync(stoppingToken).AsTask();

                // A recent summary may have additions to tell once its interval passes, with or without new events.
                await (digest.Pending ? (Task)Task.WhenAny(ready, Task.Delay(window, stoppingToken)) : ready);
                stoppingToken.ThrowIfCancellationRequested();
                if (ready.IsCompleted)
                {
                    if (!await ready)
                    {
                        return;
                    }

                    ready = null;
                    await Task.Delay(window, stoppingToken);
                    while (queue.Reader.TryRead(out var e))
                    {
                        batch.Add(e);
                    }

                    await TellWindowAsync(batch, digest, stoppingToken);
                    batch.Clear();
                }

                foreach (var account in digest.Due(time.GetUtcNow().UtcDateTime).GroupBy(d => d.AccountId))
                {
                    await notifications.RaiseAllAsync(account.Key, account.Select(d => d.Raise).ToList());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: notifications still queued are not raised.
        }
    }

    private async Task TellWindowAsync(List<object> batch, OfflineDigest digest, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var account in batch.GroupBy(AccountOf))
        {
            var raises = new List<NotificationRaise>();
            foreach (var ban in account.OfType<RegistrarBanEvent>())
            {
                raises.Add(new NotificationRaise(NotificationKinds.AddressBanned, NotificationSubject.Of($"address:{ban.Address}"),
                    [ban.Address, NotificationText.Key($"Notification.BanReason.{ban.Reason}")]));
            }

            // Each phone once per window, with its latest reason.
            var offline = account.OfType<RegistrationTransition>().GroupBy(t => t.EmployeeId).Select(g => g.Last()).ToList();
            try
            {
                if (offline.Count > 0)
                {
                    var working = await WorkingEmployeeNamesAsync(account.Key, offline.Select(t => t.EmployeeId).ToList(), ct);
                    var phones = offline.Where(t => working.ContainsKey(t.EmployeeId))
                        .Select(t => new OfflinePhone(t.EmployeeId, working[t.EmployeeId], t.Reason)).ToList();
                    raises.AddRange(digest.Take(account.Key, phones, now));
                }
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Offline phones of account {AccountId} were not told", account.Key);
            }

            if (raises.Count > 0)
            {
                await notifications.RaiseAllAsync(account.Key, raises);
            }
        }
    }

    private static int AccountOf(object e) => e switch
    {
        RegistrationTransition t => t.AccountId,
        RegistrarBanEvent b => b.AccountId,
        _ => 0,
    };

    /// <summary>The names of those of <paramref name="employeeIds"/> who are switched on and take calls in at least one
    /// project they can open (Working somewhere): one query for the account's whole window.</summary>
    private async Task<Dictionary<int, string>> WorkingEmployeeNamesAsync(int accountId, List<int> employeeIds, CancellationToken ct)
    {
        await using var db = await dbFactory.ForTenantAsync(accountId, ct);
        return await db.Employees
            .Where(e => employeeIds.Contains(e.Id) && e.IsEnabled
                && db.Memberships.Any(m => m.EmployeeId == e.Id && m.TakesCalls && (m.HasAccess || e.IsMain)))
            .ToDictionaryAsync(e => e.Id, e => e.Name, ct);
    }
}
