namespace LPTracker.Core.Telephony;

/// <summary>
/// The one settings type of the <c>Sip</c> configuration section, read by the registrar (Telephony) and by the console
/// (SIP data, instructions). One type means one default per key: the realm challenges use is the realm stored HA1s
/// were computed for. Telephony sees it through a project-wide alias, so its files name it <c>SipOptions</c>.
/// </summary>
public sealed class SipOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Sip";

    /// <summary>Used when <see cref="Listen"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultListen = ["udp:0.0.0.0:5060", "tcp:0.0.0.0:5060"];

    /// <summary>Listen endpoints such as <c>udp:0.0.0.0:5060</c>, <c>tcp:[::]:5060</c>, <c>tls:0.0.0.0:5061</c> (port 0
    /// picks a free port; without a port, 5061 for TLS and 5060 otherwise); empty means <see cref="DefaultListen"/>. (Empty by default because configuration binding appends to arrays.)</summary>
    public string[] Listen { get; set; } = [];

    /// <summary>The default <see cref="Domain"/>.</summary>
    public const string DefaultDomain = "sip.lptracker.local";

    /// <summary>The SIP domain: AORs are <c>user@Domain</c>.</summary>
    public string Domain { get; set; } = DefaultDomain;

    /// <summary>The digest realm; defaults to <see cref="Domain"/>. Changing it invalidates stored HA1s.</summary>
    public string? Realm { get; set; }

    /// <summary>The host name phones connect to (shown in SIP data) and written in Via of requests we send (qualify);
    /// when empty SIP data shows <c>localhost</c> and Via the listener address.</summary>
    public string? PublicHost { get; set; }

    /// <summary>The port phones connect to (shown in SIP data); when empty, the port the UDP listener actually bound.</summary>
    public int? PublicPort { get; set; }

    /// <summary>The transports offered to phones (shown in SIP data); empty means UDP and TCP.
    /// (Empty by default because configuration binding appends to an array's initial items.)</summary>
    public string[] Transports { get; set; } = [];

    /// <summary>Download links for SIP clients, shown in the SIP data block.</summary>
    public Dictionary<string, string> ClientDownloads { get; set; } = [];

    /// <summary>Offered digest algorithms: <c>MD5</c> (default), <c>SHA-256,MD5</c> or <c>SHA-256</c>.</summary>
    public string DigestAlgorithms { get; set; } = "MD5";

    /// <summary>Shortest accepted registration in seconds; shorter ones get 423 (RFC 3261 §10.3 step 7).</summary>
    public int MinExpires { get; set; } = 60;

    /// <summary>Longest registration in seconds; longer requests are clamped.</summary>
    public int MaxExpires { get; set; } = 3600;

    /// <summary>Expiry when the REGISTER gives none, in seconds.</summary>
    public int DefaultExpires { get; set; } = 3600;

    /// <summary>Maximum bindings per AOR; a REGISTER that would exceed it gets 403.</summary>
    public int MaxContactsPerAor { get; set; } = 5;

    /// <summary>How often each binding is pinged with OPTIONS.</summary>
    public TimeSpan QualifyInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive unanswered pings after which a binding is Disconnected. After a miss the next ping goes out
    /// at once, so a dead phone is Disconnected within <see cref="QualifyInterval"/> + misses × <see cref="QualifyTimeout"/>.</summary>
    public int QualifyMaxMisses { get; set; } = 2;

    /// <summary>How long a qualify ping waits for an answer: its own short timeout (as Asterisk's qualify has) instead of
    /// the 32 s of a SIP transaction's Timer F.</summary>
    public TimeSpan QualifyTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long a digest nonce is accepted before the client is told <c>stale=true</c>.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Optional base64 server secret for nonces (random per start when empty).</summary>
    public string? NonceSecret { get; set; }

    /// <summary>Slots of the nonce-count (replay protection) array, rounded up to a power of two (8 bytes each): a nonce
    /// can be used until this many later challenges have been issued and one of them used.</summary>
    public int MaxTrackedNonces { get; set; } = 200_000;

    /// <summary>Failure banning.</summary>
    public SipBanOptions Ban { get; set; } = new();

    /// <summary>The certificate of <c>tls:</c> listeners (<c>Sip:Tls</c>).</summary>
    public SipTlsOptions Tls { get; set; } = new();

    /// <summary>Largest accepted message in bytes (UDP datagram or TCP frame).</summary>
    public int MaxMessageSize { get; set; } = 64 * 1024;

    /// <summary>A TCP connection that completes no message for this long is closed (idle or half-sent messages).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long we wait for a TCP connection we open (to a <c>tcp</c> trunk) before the call fails with 503.</summary>
    public TimeSpan TcpConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum simultaneous TCP connections; more are refused.</summary>
    public int MaxTcpConnections { get; set; } = 10_000;

    /// <summary>Receive threads per UDP listener, each processing its datagram inline; as many requests again may be
    /// waiting on I/O (a directory lookup) at once before receiving slows down. One per core: the work is CPU only
    /// (credentials are in memory), and two threads per core preempted each other — on 2 cores at 8,000 REGISTERs/s,
    /// 4 threads spent 101–156 µs per registration and retransmitted under load, 2 threads 93–96 µs, clean (bench/README.md).</summary>
    public int UdpConcurrency { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Authenticated registrations per warm-up round, run through a private registrar on a loopback port before
    /// the listeners bind, once per process, so the phones that all register right after a restart meet compiled code
    /// (0 = none).</summary>
    public int WarmUpRegistrations { get; set; } = 1000;

    /// <summary>The warm-up repeats its registrations until the JIT has compiled nothing for a few hundred milliseconds
    /// (the tiered JIT's second pass then runs before the phones come, not under them), for at most this long.</summary>
    public TimeSpan WarmUpLimit { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>RFC 3261 T1 (RTT estimate).</summary>
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RFC 3261 T2 (maximum retransmit interval for non-INVITE).</summary>
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>RFC 3261 T4 (how long a message may stay in the network; Timer I).</summary>
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Carriers (<c>Sip:Trunks</c>): INVITEs from their addresses are calls to the accounts' virtual numbers;
    /// calls out (mobile, SIM, external numbers) leave through the first one.</summary>
    public SipTrunkOptions[] Trunks { get; set; } = [];

    /// <summary>Most calls (and INVITE server transactions) held at once; more get 503 (bounded state under a flood).</summary>
    public int MaxCalls { get; set; } = 10_000;

    /// <summary>An answered call longer than this is hung up (a lost BYE must not hold a call slot forever).</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The realm actually used.</summary>
    public string EffectiveRealm => string.IsNullOrWhiteSpace(Realm) ? Domain : Realm;

    /// <summary>The host shown to phones.</summary>
    public string ShownHost => string.IsNullOrWhiteSpace(PublicHost) ? "localhost" : PublicHost;

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

/// <summary>Ban settings (<c>Sip:Ban</c>).</summary>
public sealed class SipBanOptions
{
    /// <summary>Failures of one user from one address within <see cref="Window"/> that ban that user from that address
    /// (0 disables banning).</summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>Distinct users failing from one address within <see cref="Window"/> that ban the whole address (a scan).</summary>
    public int MaxUsersPerAddress { get; set; } = 5;

    /// <summary>Failed or refused requests from one address within <see cref="Window"/> that ban the whole address (a flood).</summary>
    public int FloodFailures { get; set; } = 100;

    /// <summary>The counting window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a ban lasts.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>One carrier trunk (<c>Sip:Trunks:n</c>).</summary>
public sealed class SipTrunkOptions
{
    /// <summary>A name for logs.</summary>
    public string Name { get; set; } = "";

    /// <summary>The carrier's <c>host:port</c> (an IP address or a name resolved at start-up).</summary>
    public string Address { get; set; } = "";

    /// <summary><c>udp</c> or <c>tcp</c>.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>Digest user for calls out, when the carrier challenges (401/407).</summary>
    public string? Username { get; set; }

    /// <summary>Digest password for calls out; never logged.</summary>
    public string? Password { get; set; }
}

/// <summary>The certificate SIP over TLS presents (<c>Sip:Tls</c>).</summary>
public sealed class SipTlsOptions
{
    /// <summary>A PKCS#12 (.pfx/.p12) file with the certificate and its private key; when empty a self-signed one is
    /// generated at first start and kept at <see cref="GeneratedCertificatePath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Where the generated self-signed certificate is kept (the host sets it under its data folder); when empty
    /// the generated certificate lives in memory only and changes at every start.</summary>
    public string? GeneratedCertificatePath { get; set; }
}
