namespace LPTracker.Core.Notifications;

/// <summary>The <c>Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    /// <summary>Notifications not raised again for this many days are deleted (<c>Notifications:RetentionDays</c>, 30).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>A repeat of the same kind and subject within this time bumps the unread one's count instead of adding
    /// a row (<c>Notifications:RepeatWindow</c>, 1 h).</summary>
    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Raises of the same kind and subject closer than this are dropped in memory before any database work
    /// (<c>Notifications:Cooldown</c>, 1 min): a flapping phone costs one write a minute at most.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The working day for "phone went offline": <c>Notifications:WorkdayStart</c> (08:00) to
    /// <c>Notifications:WorkdayEnd</c> (20:00), Monday to Friday, in <see cref="TimeZone"/>. Decision 0028.</summary>
    public TimeSpan WorkdayStart { get; set; } = TimeSpan.FromHours(8);

    /// <inheritdoc cref="WorkdayStart"/>
    public TimeSpan WorkdayEnd { get; set; } = TimeSpan.FromHours(20);

    /// <summary>Saturday and Sunday count as working days too (<c>Notifications:IncludeWeekends</c>, false).</summary>
    public bool IncludeWeekends { get; set; }

    /// <summary>The IANA time zone of the working day (<c>Notifications:TimeZone</c>, Europe/Moscow).</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";

    /// <summary>Phones going offline are gathered for this long and told per account at once
    /// (<c>Notifications:OfflineWindow</c>, 5 s). Decision 0081.</summary>
    public TimeSpan OfflineWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Up to this many phones of one account going offline within <see cref="OfflineWindow"/> are told one by
    /// one; more make one "N phones went offline" summary (<c>Notifications:OfflineIndividualLimit</c>, 3). While a
    /// summary is younger than <see cref="Cooldown"/>, further offline phones of its account add to it, at most once per
    /// <see cref="Cooldown"/>.</summary>
    public int OfflineIndividualLimit { get; set; } = 3;

    /// <summary>Offline phones and bans waiting to be told before new ones are dropped (and counted)
    /// (<c>Notifications:QueueCapacity</c>, 10,000).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most notifications a bell lists.</summary>
    public int ListSize { get; set; } = 50;
}
