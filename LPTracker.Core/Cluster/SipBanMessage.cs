using LPTracker.Core.Telephony.Bans;

namespace LPTracker.Core.Cluster;

/// <summary>What a <see cref="SipBanMessage"/> says.</summary>
public enum SipBanMessageKind
{
    /// <summary>A ban is in force (just raised, or repeated for a node that asked): enforce it until the same instant.</summary>
    Started,

    /// <summary>A ban was lifted by hand: lift it here too.</summary>
    Lifted,

    /// <summary>A node just started: the others repeat the bans they enforce.</summary>
    Ask,
}

/// <summary>A registrar ban crossing nodes (docs/decisions/0059), so every node refuses what one node banned.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Ban">The ban, with the node that raised it (<see cref="SipBanMessageKind.Started"/>).</param>
/// <param name="Address">The lifted ban's address (<see cref="SipBanMessageKind.Lifted"/>).</param>
/// <param name="User">The lifted ban's user, or null for the whole address (<see cref="SipBanMessageKind.Lifted"/>).</param>
public sealed record SipBanMessage(SipBanMessageKind Kind, SipBanEntry? Ban, string? Address = null, string? User = null);
