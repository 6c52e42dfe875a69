using LPTracker.Core.Telephony;
using LPTracker.Telephony.Sip.Transport;

namespace LPTracker.Telephony.Registrar;

/// <summary>
/// Derived SIP status of one user: Online while at least one unexpired binding is not marked unreachable.
/// </summary>
/// <param name="UserName">The SIP user name.</param>
/// <param name="EmployeeId">The owning employee (from <c>ISipUserDirectory</c>).</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Online">True = "В сети" (Online), false = "Отключен" (Disconnected).</param>
/// <param name="Since">When <paramref name="Online"/> last changed (UTC).</param>
/// <param name="UserAgent">User-Agent of the newest binding, if any.</param>
/// <param name="RemoteAddress">Source address (ip:port) of the newest binding, if any.</param>
public sealed record SipPresence(
    string UserName, long EmployeeId, int AccountId, bool Online, DateTimeOffset Since, string? UserAgent, string? RemoteAddress)
{
    /// <summary>Why <see cref="Online"/> took its current value: <see cref="RegistrationReason.Registered"/> while
    /// online; <see cref="RegistrationReason.Unregistered"/>, <see cref="RegistrationReason.Expired"/> or
    /// <see cref="RegistrationReason.QualifyFailed"/> once offline.</summary>
    public RegistrationReason Reason { get; init; }

    /// <summary>Transport of the newest binding (the last one known when offline), or null if never bound.</summary>
    public SipTransportKind? Transport { get; init; }
}

/// <summary>
/// Live SIP status for the UI and the hub. Subscribers are called on the telephony thread that made the change;
/// marshal to your own context (Blazor: <c>InvokeAsync</c>) and keep handlers short.
/// </summary>
public interface ISipPresenceFeed
{
    /// <summary>Subscribes to every presence change; dispose the result to unsubscribe.</summary>
    IDisposable Subscribe(Action<SipPresence> onChanged);

    /// <summary>The current presence of a user, or null if the user has not registered since start.</summary>
    SipPresence? GetPresence(string userName);

    /// <summary>The current presence of every user seen since start.</summary>
    IReadOnlyCollection<SipPresence> GetAll();
}
