namespace LPTracker.Core.Notifications;

/// <summary>Published (keyed by the recipient's employee id) when a recipient's bell changed: new, bumped or read.</summary>
public sealed record NotificationChange(int RecipientEmployeeId);
