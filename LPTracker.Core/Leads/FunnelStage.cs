namespace LPTracker.Core.Leads;

/// <summary>A step of a project's sales funnel; its kind says in which list its leads show.</summary>
public sealed class FunnelStage
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public int ProjectId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Position in the funnel, from 1.</summary>
    public int Order { get; set; }

    public StageKind Kind { get; set; }
}

/// <summary>Where a stage's leads show: a lead and a deal are one entity, the stage makes the difference.</summary>
public enum StageKind
{
    /// <summary>Shows in Leads.</summary>
    Lead = 0,

    /// <summary>Shows in Deals.</summary>
    Deal = 1,

    /// <summary>Final: won (shows in Deals, never overdue).</summary>
    Won = 2,

    /// <summary>Final: lost (shows in Deals, never overdue).</summary>
    Lost = 3,
}
