using FluentValidation;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Tasks;

/// <summary>A task as the forms hold it; Id 0 = new.</summary>
public sealed class TaskForm
{
    public int Id { get; set; }

    public int ProjectId { get; set; }

    public int? LeadId { get; set; }

    public int? ContactId { get; set; }

    public string Title { get; set; } = "";

    public DateTime DueUtc { get; set; }

    /// <summary>null on create = the caller.</summary>
    public int? AssigneeId { get; set; }

    public bool IsDone { get; set; }

    public string? Result { get; set; }

    public Guid Version { get; set; }
}

/// <summary>Title required; lengths within <see cref="Limits"/>.</summary>
public sealed class TaskFormValidator : AbstractValidator<TaskForm>
{
    public TaskFormValidator(IStringLocalizer<TaskFormValidator> l)
    {
        RuleFor(f => f.Title).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => l["Validation.Required"]);
        RuleFor(f => f.Title).MaximumLength(Limits.LeadTitle).WithMessage(_ => l["Validation.TooLong", Limits.LeadTitle]);
        RuleFor(f => f.Result).MaximumLength(Limits.Comment).WithMessage(_ => l["Validation.TooLong", Limits.Comment]);
        RuleFor(f => f.DueUtc).NotEqual(default(DateTime)).WithMessage(_ => l["Validation.Required"]);
    }
}

/// <summary>What the tasks list asks for.</summary>
public sealed record TaskListQuery(bool MineOnly = true, bool IncludeDone = false, int? LeadId = null, int? ContactId = null, int Page = 0, int PageSize = 50)
{
    public const int MaxPageSize = 100;
}

/// <summary>One task in a list.</summary>
public sealed record TaskRow(
    int Id, string Title, DateTime DueUtc, bool IsOverdue, bool IsDone, string? Result, string? AssigneeName, string? AuthorName,
    int? LeadId, string? LeadTitle, int? ContactId, Guid Version)
{
    public TaskForm ToForm(int projectId) => new()
    {
        Id = Id, ProjectId = projectId, Title = Title, DueUtc = DueUtc, IsDone = IsDone, Result = Result, LeadId = LeadId,
        ContactId = ContactId, Version = Version,
    };
}

/// <summary>A page of tasks, overdue first.</summary>
public sealed record TaskListPage(IReadOnlyList<TaskRow> Rows, int Total, int ProjectId);
