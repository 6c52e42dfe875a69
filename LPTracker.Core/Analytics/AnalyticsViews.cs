namespace LPTracker.Core.Analytics;

/// <summary>A period of the analytics page: from <see cref="FromUtc"/> (inclusive) to <see cref="ToUtc"/> (exclusive).</summary>
public sealed record AnalyticsPeriod(DateTime FromUtc, DateTime ToUtc)
{
    /// <summary>The longest period one report covers (a year and a day, so "last year" always fits).</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(367);
}

/// <summary>
/// One row of the analytics table. <see cref="EmployeeId"/> null is the project's pool (open and overdue leads only:
/// nobody moves a step date or wins on its behalf).
/// </summary>
/// <param name="EmployeeId">The employee; null = the pool.</param>
/// <param name="Name">The employee's name; null = the pool.</param>
/// <param name="Open">Leads in an open stage (Leads or Deals) owned now.</param>
/// <param name="Overdue">Of those, leads whose step date is in the past.</param>
/// <param name="StepMoves">Existing step dates the employee moved in the period.</param>
/// <param name="StepMovesWithReason">Of those, moves with a reason given.</param>
/// <param name="Won">Leads owned now that entered a won stage in the period.</param>
/// <param name="Lost">Leads owned now that entered a lost stage in the period.</param>
public sealed record EmployeeFigures(
    int? EmployeeId, string? Name, int Open, int Overdue, int StepMoves, int StepMovesWithReason, int Won, int Lost);

/// <summary>The analytics of the current project for a period, as the caller may see it.</summary>
/// <param name="ProjectId">The project reported on (the top bar's).</param>
/// <param name="Period">The period of the moves, wins and losses.</param>
/// <param name="SeesOthers">False when the caller sees only its own row (and the pool's).</param>
/// <param name="Rows">One row per employee of the project, by name, then the pool.</param>
public sealed record AnalyticsReport(int ProjectId, AnalyticsPeriod Period, bool SeesOthers, IReadOnlyList<EmployeeFigures> Rows);

/// <summary>One moved step date in the drill-down: which lead, when, old → new date, and why.</summary>
public sealed record StepMoveLine(int LeadId, string LeadTitle, DateTime AtUtc, DateTime? OldStepDateUtc, DateTime? NewStepDateUtc, string? Reason);
