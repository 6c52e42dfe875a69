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

    /// <summary>The transports offered to phones (shown in SIP data); empty means UDP and TCP.
    /// (Empty by default because configuration binding appends to an array's initial items.)</summary>
    public string[] Transports { get; set; } = [];

    /// <summary>Download links for SIP clients, shown in the SIP data block.</summary>
    public Dictionary<string, string> ClientDownloads { get; set; } = [];

    public string EffectiveRealm => string.IsNullOrWhiteSpace(Realm) ? Domain : Realm;

    /// <summary>The transports actually shown: upper-cased, without blanks or repeats.</summary>
    public IReadOnlyList<string> EffectiveTransports
    {
        get
        {
            var listed = Transports.Select(t => t.Trim().ToUpperInvariant()).Where(t => t.Length > 0).Distinct().ToList();
            return listed.Count > 0 ? listed : ["UDP", "TCP"];
        }
    }
}
