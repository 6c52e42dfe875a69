namespace LPTracker.Core.Projects;

/// <summary>A project of an account, with its call strategy (Virtual PBX → Call strategy).</summary>
public sealed class Project
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public string Name { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    /// <summary>The single number clients see for CRM and widget calls; one of the account's virtual numbers.</summary>
    public int? SingleNumberId { get; set; }

    public RingMode RingMode { get; set; } = RingMode.Simultaneous;

    public int RingTimeoutSeconds { get; set; } = 30;
}

/// <summary>How an incoming call is offered to the employees of a project.</summary>
public enum RingMode
{
    /// <summary>All working employees ring at once.</summary>
    Simultaneous = 0,

    /// <summary>Employees ring one after another.</summary>
    Sequential = 1,
}
