namespace LPTracker.Core.Telephony;

/// <summary>An employee's SIP account ("Generate SIP data"): what the registrar needs to authenticate.</summary>
public sealed class SipAccount
{
    /// <summary>The employee that owns the account (one SIP account per employee).</summary>
    public int EmployeeId { get; set; }

    public int AccountId { get; set; }

    /// <summary>The SIP user name, unique deployment-wide: the AOR is <c>{UserName}@{Sip:Domain}</c>.</summary>
    public string UserName { get; set; } = "";

    /// <summary>HA1 = MD5(user:realm:password), lower-case hex.</summary>
    public string Ha1Md5 { get; set; } = "";

    /// <summary>HA1 = SHA-256(user:realm:password), lower-case hex.</summary>
    public string Ha1Sha256 { get; set; } = "";

    /// <summary>The password protected with ASP.NET Data Protection, so an administrator can be shown it.</summary>
    public string ProtectedPassword { get; set; } = "";

    /// <summary>The realm the hashes were computed for.</summary>
    public string Realm { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}

/// <summary>A registered contact of a SIP account (the registrar's location store, persisted).</summary>
public sealed class SipBinding
{
    public long Id { get; set; }

    public string UserName { get; set; } = "";

    public int EmployeeId { get; set; }

    public int AccountId { get; set; }

    public string ContactUri { get; set; } = "";

    public string CallId { get; set; } = "";

    public long CSeq { get; set; }

    public DateTime ExpiresUtc { get; set; }

    public DateTime RegisteredUtc { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Where the REGISTER came from, e.g. <c>udp:192.0.2.1:5062</c>.</summary>
    public string RemoteEndPoint { get; set; } = "";

    /// <summary>The Contact's <c>q</c> preference (0.0–1.0).</summary>
    public double Q { get; set; } = 1.0;

    /// <summary>The Contact's <c>+sip.instance</c> without quotes, or null.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The Contact's <c>reg-id</c>, or null.</summary>
    public int? RegId { get; set; }

    /// <summary>The console node that holds the phone's flow (several nodes); null on a single node.</summary>
    public string? NodeId { get; set; }
}
