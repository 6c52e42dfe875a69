namespace LPTracker.Core.Notifications;

/// <summary>One notification to raise with <see cref="IAdminNotifications.RaiseAllAsync"/>.</summary>
/// <param name="Kind">One of <see cref="NotificationKinds"/>.</param>
/// <param name="Subject">What it is about (deduplication, recipients, the bell's link).</param>
/// <param name="Args">The text's arguments {0}, {1}… (plain text, or <see cref="NotificationText.Key"/>).</param>
/// <param name="Tally">When above zero, a summary of that many events: it skips the cool-down (its raiser already
/// gathered a window of events) and, on a repeat within the repeat window, adds to the unread row's first argument
/// (the running total) instead of replacing it.</param>
public sealed record NotificationRaise(string Kind, NotificationSubject Subject, IReadOnlyList<string> Args, int Tally = 0);
