using System.Globalization;
using LPTracker.Core.Notifications;
using LPTracker.Core.Telephony;

namespace LPTracker.Core.RegistrationHistory;

/// <summary>A Working employee's phone that went offline during the working day, as the digest tells it.</summary>
public readonly record struct OfflinePhone(int EmployeeId, string Name, RegistrationReason Reason);

/// <summary>
/// Decides how the phones of one account that went offline within one window are told (decision 0081): up to
/// <c>individualLimit</c> one by one; more make one summary "phones went offline: N". While a summary is younger than
/// <c>summaryInterval</c>, further offline phones of its account are added up and told as one addition to it once the
/// interval has passed (<see cref="Due"/>), so a long outage or a flood costs one write per account per interval, and
/// a hundred phones dropping together are one row, not a hundred. Not thread-safe: one loop owns it.
/// </summary>
public sealed class OfflineDigest(int individualLimit, TimeSpan summaryInterval)
{
    /// <summary>The subject of every summary of an account: repeats land on its unread row (a running total).</summary>
    public static readonly NotificationSubject SummarySubject = NotificationSubject.Of("phones-offline");

    /// <summary>Names a summary quotes.</summary>
    private const int SampleSize = 3;

    private readonly int _limit = Math.Max(1, individualLimit);
    private readonly Dictionary<int, Episode> _episodes = [];

    /// <summary>True while some account's summary is recent (the caller must come back to <see cref="Due"/>).</summary>
    public bool Pending => _episodes.Count > 0;

    /// <summary>What to raise now for <paramref name="phones"/> (distinct employees) of one account's window.</summary>
    public IReadOnlyList<NotificationRaise> Take(int accountId, IReadOnlyList<OfflinePhone> phones, DateTime nowUtc)
    {
        if (phones.Count == 0)
        {
            return [];
        }

        _episodes.TryGetValue(accountId, out var episode);
        if (episode is not null && nowUtc - episode.SummarisedUtc < summaryInterval)
        {
            episode.Carried += phones.Count;
            episode.Names = Sample(phones);
            return [];
        }

        var carried = episode?.Carried ?? 0;
        if (carried == 0 && phones.Count <= _limit)
        {
            _episodes.Remove(accountId);
            return phones.Select(p => new NotificationRaise(NotificationKinds.PhoneOffline, NotificationSubject.Employee(p.EmployeeId),
                [p.Name, NotificationText.Key($"Registration.Reason.{p.Reason}")])).ToList();
        }

        _episodes[accountId] = new Episode { SummarisedUtc = nowUtc };
        return [Summary(phones.Count + carried, Sample(phones))];
    }

    /// <summary>The additions to summaries whose interval has passed, per account; forgets summaries with nothing to add.</summary>
    public IReadOnlyList<(int AccountId, NotificationRaise Raise)> Due(DateTime nowUtc)
    {
        var due = new List<(int, NotificationRaise)>();
        foreach (var (accountId, episode) in _episodes.Where(p => nowUtc - p.Value.SummarisedUtc >= summaryInterval).ToList())
        {
            if (episode.Carried == 0)
            {
                _episodes.Remove(accountId);
                continue;
            }

            due.Add((accountId, Summary(episode.Carried, episode.Names)));
            _episodes[accountId] = new Episode { SummarisedUtc = nowUtc };
        }

        return due;
    }

    private static NotificationRaise Summary(int count, string names) =>
        new(NotificationKinds.PhonesOffline, SummarySubject, [count.ToString(CultureInfo.InvariantCulture), names], Tally: count);

    /// <summary>A few of the names (the text says "among them").</summary>
    private static string Sample(IReadOnlyList<OfflinePhone> phones) => string.Join(", ", phones.Take(SampleSize).Select(p => p.Name));

    private sealed class Episode
    {
        public DateTime SummarisedUtc { get; init; }

        public int Carried { get; set; }

        public string Names { get; set; } = "";
    }
}
