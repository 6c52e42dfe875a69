namespace LPTracker.Core;

/// <summary>Length limits shared by the EF configuration and the validators.</summary>
public static class Limits
{
    public const int CompanyName = 100;
    public const int ProjectName = 100;
    public const int EmployeeName = 100;
    public const int Login = 64;
    public const int LoginSuffix = 40;
    public const int Email = 254;
    public const int Position = 100;
    public const int Phone = 20;
    public const int PasswordMin = 8;
    public const int PasswordMax = 128;
    public const int SearchTerm = 100;
    public const int PhotoFile = 100;
    public const int SipUserName = 64;
    public const int SipText = 512;

    /// <summary>A console node's id (<c>Node:Id</c>), also kept on each SIP binding it holds.</summary>
    public const int NodeId = 100;
    public const int AuditSubject = 254;
    public const int ContactName = 200;
    public const int ContactCompany = 200;
    public const int ContactSearchText = 4000;

    /// <summary>Comments of contacts, leads and tasks: long enough for notes, short enough to refuse a pasted file.</summary>
    public const int Comment = 4000;
    public const int ContactPhones = 10;
    public const int ContactEmails = 10;
    public const int StageName = 60;
    public const int FunnelStages = 20;
    public const int LeadTitle = 200;
    public const int LeadSource = 100;

    /// <summary>A phone's User-Agent as kept in the registration history (longer ones are cut).</summary>
    public const int RegistrationDevice = 200;

    /// <summary>An SMTP server's reason for refusing an invitation (kept, cut to this length).</summary>
    public const int BounceReason = 300;
}
