using FluentValidation;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Leads;

/// <summary>A lead as the create and edit forms hold it.</summary>
public sealed class LeadForm
{
    /// <summary>0 for a new lead.</summary>
    public int Id { get; set; }

    public int ProjectId { get; set; }

    public string Title { get; set; } = "";

    public int? ContactId { get; set; }

    /// <summary>0 = the project's first lead stage.</summary>
    public int StageId { get; set; }

    /// <summary>null = the project's pool.</summary>
    public int? OwnerId { get; set; }

    public DateTime? StepDateUtc { get; set; }

    public decimal? Amount { get; set; }

    public string? Source { get; set; }

    /// <summary>Why the step date moved; required without "skip the reason" when an existing step date changes.</summary>
    public string? StepDateReason { get; set; }

    public Guid Version { get; set; }
}

/// <summary>Title required; lengths within <see cref="Limits"/>; a non-negative amount.</summary>
public sealed class LeadFormValidator : AbstractValidator<LeadForm>
{
    public const decimal MaxAmount = 1_000_000_000_000m;

    public LeadFormValidator(IStringLocalizer<LeadFormValidator> l)
    {
        RuleFor(f => f.Title).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => l["Validation.Required"]);
        RuleFor(f => f.Title).MaximumLength(Limits.LeadTitle).WithMessage(_ => l["Validation.TooLong", Limits.LeadTitle]);
        RuleFor(f => f.Source).MaximumLength(Limits.LeadSource).WithMessage(_ => l["Validation.TooLong", Limits.LeadSource]);
        RuleFor(f => f.StepDateReason).MaximumLength(Limits.Comment).WithMessage(_ => l["Validation.TooLong", Limits.Comment]);
        RuleFor(f => f.Amount).InclusiveBetween(0, MaxAmount).When(f => f.Amount is not null).WithMessage(_ => l["Lead.AmountRange"]);
    }
}
