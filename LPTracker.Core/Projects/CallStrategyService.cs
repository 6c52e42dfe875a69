using FluentValidation;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Projects;

/// <summary>A project's call strategy as Virtual PBX → Call strategy edits it.</summary>
public sealed class CallStrategyForm
{
    public int ProjectId { get; set; }

    /// <summary>For display only.</summary>
    public string ProjectName { get; set; } = "";

    /// <summary>The number clients see on CRM and widget calls.</summary>
    public int? SingleNumberId { get; set; }

    public RingMode RingMode { get; set; }

    public int RingTimeoutSeconds { get; set; } = CallStrategyValidator.DefaultTimeout;
}

/// <summary>The Call strategy page: one form per project and the account's numbers to choose from.</summary>
public sealed record CallStrategyPage(IReadOnlyList<CallStrategyForm> Projects, IReadOnlyList<VirtualNumberRef> Numbers);

/// <summary>Ring timeout within 5–300 seconds, a known ring mode.</summary>
public sealed class CallStrategyValidator : AbstractValidator<CallStrategyForm>
{
    public const int MinTimeout = 5;
    public const int MaxTimeout = 300;
    public const int DefaultTimeout = 30;

    public CallStrategyValidator(IStringLocalizer<CallStrategyValidator> l)
    {
        RuleFor(f => f.RingTimeoutSeconds).InclusiveBetween(MinTimeout, MaxTimeout)
            .WithMessage(_ => l["Pbx.TimeoutRange", MinTimeout, MaxTimeout]);
        RuleFor(f => f.RingMode).IsInEnum().WithMessage(_ => l["Employee.InvalidValue"]);
    }
}

/// <summary>Virtual PBX → Call strategy (Telephony section): per project the single number, ring mode and timeout.</summary>
public sealed class CallStrategyService(
    IDbContextFactory<LptrackerDbContext> dbFactory,
    AccessService access,
    CallStrategyValidator validator,
    IStringLocalizer<CallStrategyService> l)
{
    public async Task<OperationResult<CallStrategyPage>> GetAsync(CallerContext caller, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Telephony, ct) is null)
        {
            return OperationResult<CallStrategyPage>.Fail("", l["Access.Denied"]);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Id).Select(p => new CallStrategyForm
        {
            ProjectId = p.Id, ProjectName = p.Name, SingleNumberId = p.SingleNumberId, RingMode = p.RingMode,
            RingTimeoutSeconds = p.RingTimeoutSeconds,
        }).ToListAsync(ct);
        var numbers = await db.Numbers.AsNoTracking().OrderBy(n => n.E164).Select(n => new VirtualNumberRef(n.Id, n.E164, n.ProjectId)).ToListAsync(ct);
        return OperationResult<CallStrategyPage>.Ok(new CallStrategyPage(projects, numbers));
    }

    public async Task<OperationResult> SaveAsync(CallerContext caller, CallStrategyForm form, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Telephony, ct) is null)
        {
            return OperationResult.Fail("", l["Access.Denied"]);
        }

        var validation = await validator.ValidateAsync(form, ct);
        if (!validation.IsValid)
        {
            return OperationResult.Fail(validation);
        }

        await using var db = await dbFactory.ForTenantAsync(caller.AccountId, ct);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == form.ProjectId, ct);
        if (project is null)
        {
            return OperationResult.Fail("", l["Projects.NotFound"]);
        }

        if (form.SingleNumberId is { } numberId && !await db.Numbers.AnyAsync(n => n.Id == numberId, ct))
        {
            return OperationResult.Fail(nameof(CallStrategyForm.SingleNumberId), l["Pbx.NumberNotFound"]);
        }

        project.SingleNumberId = form.SingleNumberId;
        project.RingMode = form.RingMode;
        project.RingTimeoutSeconds = form.RingTimeoutSeconds;
        await db.SaveChangesAsync(ct);
        return OperationResult.Ok();
    }
}
