namespace LPTracker.Core.Notifications;

/// <summary>
/// Notification arguments are stored as given. One starting with <see cref="KeyPrefix"/> names a catalogue entry and
/// is translated when shown, so a reason reads in the viewer's language whatever language raised it.
/// </summary>
public static class NotificationText
{
    public const string KeyPrefix = "@";

    /// <summary>An argument shown as the catalogue entry <paramref name="key"/>.</summary>
    public static string Key(string key) => KeyPrefix + key;

    /// <summary>The catalogue key an argument names, or null for plain text.</summary>
    public static string? KeyOf(string argument) =>
        argument.StartsWith(KeyPrefix, StringComparison.Ordinal) && argument.Length > 1 ? argument[1..] : null;
}
