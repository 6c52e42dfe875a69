namespace LPTracker.Core.Telephony;

/// <summary>The part of the <c>Sip</c> configuration section Core needs to issue SIP data.</summary>
public sealed class SipSettings
{
    /// <summary>The SIP domain: AORs are <c>user@Domain</c>.</summary>
    public string Domain { get; set; } = "sip.lptracker.local";

    /// <summary>The digest realm; defaults to the domain.</summary>
    public string? Realm { get; set; }

    /// <summary>The host name phones connect to (shown in SIP data).</summary>
    public string PublicHost { get; set; } = "localhost";

    /// <summary>The port phones connect to (shown in SIP data).</summary>
    public int PublicPort { get; set; } = 5060;

    /// <summary>The transports offered to phones (shown in SIP data).</summary>
    public string[] Transports { get; set; } = ["UDP", "TCP"];

    /// <summary>Download links for SIP clients, shown in the SIP data block.</summary>
    public Dictionary<string, string> ClientDownloads { get; set; } = [];

    public string EffectiveRealm => string.IsNullOrWhiteSpace(Realm) ? Domain : Realm;
}
