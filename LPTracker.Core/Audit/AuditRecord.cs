namespace LPTracker.Core.Audit;

/// <summary>What an audit record is about.</summary>
public enum AuditAction
{
    EmployeeCreated = 0,
    EmployeeUpdated = 1,
    EmployeeDeleted = 2,
    RightsChanged = 3,
    PasswordChanged = 4,
    SwitchToggled = 5,
    SipIssued = 6,
    SipRegenerated = 7,
    ProvisioningLinkIssued = 8,
    ProvisioningLinkUsed = 9,
    NumberAdded = 10,
    NumberChanged = 11,
    NumberRemoved = 12,

    /// <summary>An administrator lifted a registrar ban by hand (one record per employee the ban named).</summary>
    SipBanLifted = 13,
    ProjectCreated = 20,
    ProjectRenamed = 21,
    ProjectDeleted = 22,
    CallStrategyChanged = 23,
    SignIn = 30,
    SignInFailed = 31,
    LockedOut = 32,
    ContactCreated = 40,
    ContactUpdated = 41,
    ContactDeleted = 42,
    ContactsImported = 43,
    LeadCreated = 44,
    LeadUpdated = 45,
    LeadDeleted = 46,
    LeadsImported = 47,
}

/// <summary>
/// One field of a change: its name, the values before and after (null when there was none), and for per-project
/// settings the project's name.
/// </summary>
public sealed record AuditChange(string Field, string? Before, string? After, string? Scope = null);

/// <summary>
/// One entry of the audit log: who did what to whom, when and from where. Written in the same transaction as the
/// change it describes (see <c>Persistence/AuditInterceptor</c>); it never holds a password, hash or SIP secret.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    public int AccountId { get; set; }

    /// <summary>UTC (SQLite cannot order <see cref="DateTimeOffset"/>).</summary>
    public DateTime OccurredUtc { get; set; }

    /// <summary>The employee who acted; null for the system (the registrar, the demo seeder).</summary>
    public int? ActorEmployeeId { get; set; }

    /// <summary>The actor's name when the record was written (kept after the actor is deleted).</summary>
    public string? ActorName { get; set; }

    /// <summary>The client address of the request or circuit that made the change.</summary>
    public string? ClientAddress { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>The employee the change is about; null for numbers and projects.</summary>
    public int? TargetEmployeeId { get; set; }

    /// <summary>
    /// For CRM records (contacts, leads, imports): the project whose data changed, so the log shows them only to
    /// those who hold that project's section; null for everything else.
    /// </summary>
    public int? ProjectId { get; set; }

    /// <summary>What the change is about as shown: the employee's name, the number, the project's name, the contact or the lead.</summary>
    public string Subject { get; set; } = "";

    public List<AuditChange> Changes { get; set; } = [];
}
