namespace LPTracker.Core.Notifications;

/// <summary>
/// One notification in one administrator's bell. Raising fans out one row per recipient (recipients are decided
/// when it is raised: the main account and whoever may see the subject), so reading, counting and marking read are
/// single-table queries on the recipient. A repeat of the same kind and subject within the dedupe window bumps
/// <see cref="Count"/> and <see cref="LastUtc"/> of the unread row instead of adding one.
/// </summary>
public sealed class AdminNotification
{
    public long Id { get; set; }

    public int AccountId { get; set; }

    public int RecipientEmployeeId { get; set; }

    /// <summary>One of <see cref="NotificationKinds"/>; the text is the catalogue entry <c>Notification.{Kind}</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>What it is about, for deduplication (e.g. <c>employee:12</c>, <c>address:198.51.100.7</c>).</summary>
    public string SubjectKey { get; set; } = "";

    /// <summary>The employee it is about (a link to their editor), or null.</summary>
    public int? SubjectEmployeeId { get; set; }

    /// <summary>The text's arguments ({0}, {1}… of the catalogue entry), already plain text.</summary>
    public List<string> Args { get; set; } = [];

    /// <summary>First raised (UTC).</summary>
    public DateTime CreatedUtc { get; set; }

    /// <summary>Last raised (UTC); the bell lists newest first by this.</summary>
    public DateTime LastUtc { get; set; }

    /// <summary>How many times it was raised while unread (shown as "×N").</summary>
    public int Count { get; set; } = 1;

    /// <summary>When the recipient read it, or null while unread.</summary>
    public DateTime? ReadUtc { get; set; }
}
