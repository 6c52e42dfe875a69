namespace LPTracker.Core.Notifications;

/// <summary>
/// The kinds of administrators' notifications. Each has ru + en texts <c>Notification.{Kind}</c> in the Core
/// catalogue <c>Notifications</c>, formatted with the raise call's arguments in order.
/// </summary>
public static class NotificationKinds
{
    /// <summary>A Working employee's phone went offline during the working day. Args: employee name, reason text.</summary>
    public const string PhoneOffline = "PhoneOffline";

    /// <summary>More Working employees' phones of one account went offline within one window than are told one by one
    /// (a mass outage). Args: how many (a running total while unread), up to three of their names. Decision 0081.</summary>
    public const string PhonesOffline = "PhonesOffline";

    /// <summary>The registrar banned an address. Args: address, reason text, until (local time text).</summary>
    public const string AddressBanned = "AddressBanned";

    /// <summary>An employees import finished. Args: file name, rows created, rows refused.</summary>
    public const string ImportFinished = "ImportFinished";

    /// <summary>An invitation e-mail bounced. Args: employee name, e-mail address, the server's reason.</summary>
    public const string InvitationBounced = "InvitationBounced";
}
