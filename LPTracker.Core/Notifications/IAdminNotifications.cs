namespace LPTracker.Core.Notifications;

/// <summary>What a notification is about: a key for deduplication, and the employee when it is about one.</summary>
/// <param name="Key">Stable within the account and kind, e.g. <c>employee:12</c>, <c>import:3f2a…</c>.</param>
/// <param name="EmployeeId">The employee it is about (recipients are those who may open that employee's editor;
/// the bell links to it), or null for account-wide subjects (every administrator).</param>
public readonly record struct NotificationSubject(string Key, int? EmployeeId)
{
    /// <summary>About an employee.</summary>
    public static NotificationSubject Employee(int employeeId) => new($"employee:{employeeId}", employeeId);

    /// <summary>About something else (an import, an address), identified by <paramref name="key"/>.</summary>
    public static NotificationSubject Of(string key) => new(key, null);
}

/// <summary>
/// Raises administrators' notifications (the bell in the top bar). Recipients are the account's main account and
/// the employees with the Employees section (only the main account when the subject is the main account); they
/// are decided at raise time. Bounded: repeats of a kind and subject within a minute are dropped, and within
/// <see cref="NotificationOptions.RepeatWindow"/> they bump the unread notification's count. Delivery is live.
/// </summary>
public interface IAdminNotifications
{
    /// <summary>
    /// Raises <paramref name="kind"/> (one of <see cref="NotificationKinds"/>) about <paramref name="subject"/> in
    /// <paramref name="accountId"/>; <paramref name="args"/> fill the text's {0}, {1}… (plain text, stored as given).
    /// Never throws for a database failure (it is logged): a notification must not fail the work that raised it.
    /// </summary>
    Task RaiseAsync(int accountId, string kind, NotificationSubject subject, params string[] args);

    /// <summary>
    /// Raises several notifications of one account in one database transaction and tells each recipient's bell once,
    /// however many of them it got (a burst must not become a burst of bell refreshes on every open page).
    /// Never throws for a database failure (it is logged).
    /// </summary>
    Task RaiseAllAsync(int accountId, IReadOnlyCollection<NotificationRaise> raises);
}
