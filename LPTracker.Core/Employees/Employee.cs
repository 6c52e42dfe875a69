using LPTracker.Core.Permissions;

namespace LPTracker.Core.Employees;

/// <summary>A person who signs in to the console; the main account is the one created at sign-up.</summary>
public sealed class Employee
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    /// <summary>The employee created at sign-up: unrestricted, login = e-mail, cannot be deleted.</summary>
    public bool IsMain { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The full login: the sign-up e-mail for the main account, <c>{number}_{name}</c> for others.</summary>
    public string Login { get; set; } = "";

    /// <summary>Lower-invariant login, unique across all accounts (sign-in looks it up without an account).</summary>
    public string NormalizedLogin { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    /// <summary>Changes whenever the password changes or the employee must be signed out everywhere.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>The number calls are forwarded to, in E.164.</summary>
    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Position { get; set; }

    /// <summary>Caller ID for direct outbound calls: one of the account's virtual numbers.</summary>
    public int? DisplayedNumberId { get; set; }

    /// <summary>File name of the 256×256 photo under the data folder, if uploaded.</summary>
    public string? PhotoFile { get; set; }

    public CallReceivingMethod CallReceiving { get; set; } = CallReceivingMethod.Sip;

    /// <summary>The LPTracker SIM number, required when calls are received on a SIM.</summary>
    public string? SimNumber { get; set; }

    public bool HideClientNumber { get; set; }

    public bool PopUpContactCard { get; set; } = true;

    /// <summary>The call/request switch of the Actions column.</summary>
    public bool IsEnabled { get; set; } = true;

    public CommonSections CommonSections { get; set; }

    public EmployeePermissions Permissions { get; set; }

    public DateTime? LastLoginUtc { get; set; }

    public DateTime CreatedUtc { get; set; }

    public int FailedSignIns { get; set; }

    public DateTime? LockoutEndUtc { get; set; }

    /// <summary>The project chosen in the top bar, remembered per user.</summary>
    public int? CurrentProjectId { get; set; }

    /// <summary>Lower-invariant name, login, phone and e-mail: SQLite folds case only for ASCII.</summary>
    public string SearchText { get; set; } = "";

    /// <summary>Lower-invariant name for culture-correct sorting and search.</summary>
    public string SortName { get; set; } = "";

    /// <summary>App-managed optimistic concurrency token (SQLite cannot generate one).</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public List<ProjectMembership> Memberships { get; set; } = [];

    /// <summary>Recomputes the stored, normalised search columns from the profile fields.</summary>
    public void RefreshSearchText()
    {
        SortName = Name.Trim().ToLowerInvariant();
        NormalizedLogin = Login.Trim().ToLowerInvariant();
        SearchText = string.Join('\n', Name, Login, Phone, Email).ToLowerInvariant();
    }
}

/// <summary>How the employee takes calls (General settings).</summary>
public enum CallReceivingMethod
{
    Sip = 0,
    Mobile = 1,
    Sim = 2,
}
