using FluentValidation;
using LPTracker.Core.Accounts;
using LPTracker.Core.Numbers;
using LPTracker.Core.Permissions;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Employees;

/// <summary>
/// The employee editor's field rules, run by the form for feedback and by <see cref="EmployeeEditorService"/>
/// authoritatively. Rules that need the database (unique login, the account's numbers and projects, grant rights)
/// are the service's; the account's virtual numbers come in through <see cref="EmployeeRuleContext"/>.
/// </summary>
public sealed class EmployeeFormValidator : AbstractValidator<EmployeeForm>
{
    private const string ContextKey = nameof(EmployeeRuleContext);

    public EmployeeFormValidator(IStringLocalizer<EmployeeFormValidator> l)
    {
        RuleFor(f => f.Name).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Validation.Required"])
            .Must(v => v.Trim().Length <= Limits.EmployeeName).WithMessage(_ => l["Validation.TooLong", Limits.EmployeeName])
            .NoControlCharacters(l);

        RuleFor(f => f.LoginSuffix).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Validation.Required"])
            .Must(v => v.Trim().Length <= Limits.LoginSuffix).WithMessage(_ => l["Validation.TooLong", Limits.LoginSuffix])
            .Must(v => LoginRules.IsValidSuffix(v.Trim())).WithMessage(_ => l["Employee.LoginFormat"])
            .When((_, ctx) => !Rules(ctx).IsMain);

        RuleFor(f => f.Password!).StrongPassword(l)
            .When((f, ctx) => !InvitesInstead(f, ctx) && (Rules(ctx).IsNew || !string.IsNullOrEmpty(f.Password)));
        RuleFor(f => f.Email).Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Invite.EmailRequired"])
            .When((f, ctx) => InvitesInstead(f, ctx));

        RuleFor(f => f.Phone).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Employee.PhoneRequiredForMobile"])
            .When(f => f.CallReceiving == CallReceivingMethod.Mobile);
        RuleFor(f => f.Phone).Cascade(CascadeMode.Stop)
            .Must(PhoneRules.IsValid).WithMessage(_ => l["Employee.PhoneInvalid"])
            .Must((_, v, ctx) => !Rules(ctx).VirtualNumbers.Contains(PhoneRules.Normalize(v)!))
            .WithMessage(_ => l["Employee.PhoneIsVirtual"])
            .When(f => !string.IsNullOrWhiteSpace(f.Phone));

        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Validation.Required"])
            .When((_, ctx) => Rules(ctx).IsMain);
        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .Must(v => v!.Trim().Length <= Limits.Email).WithMessage(_ => l["Validation.TooLong", Limits.Email])
            .Must(v => EmailRules.IsValid(v!.Trim())).WithMessage(_ => l["Validation.Email"])
            .When(f => !string.IsNullOrWhiteSpace(f.Email));

        RuleFor(f => f.Position)
            .Must(v => v!.Trim().Length <= Limits.Position).WithMessage(_ => l["Validation.TooLong", Limits.Position])
            .NoControlCharacters(l)
            .When(f => f.Position is not null);

        RuleFor(f => f.CallReceiving).IsInEnum().WithMessage(_ => l["Employee.InvalidValue"]);
        RuleFor(f => f.SimNumber).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Employee.SimRequired"])
            .Must(PhoneRules.IsValid).WithMessage(_ => l["Employee.PhoneInvalid"])
            .When(f => f.CallReceiving == CallReceivingMethod.Sim);

        RuleFor(f => f.CommonSections).Must(v => (v & ~CommonSections.All) == 0).WithMessage(_ => l["Employee.InvalidValue"]);
        RuleFor(f => f.Permissions).Must(v => (v & ~EmployeePermissions.All) == 0).WithMessage(_ => l["Employee.InvalidValue"]);
        RuleFor(f => f.Projects)
            .Must(p => p.All(r => (r.Sections & ~ProjectSections.All) == 0) && p.Select(r => r.ProjectId).Distinct().Count() == p.Count)
            .WithMessage(_ => l["Employee.InvalidValue"]);
    }

    /// <summary>Validates the whole form (or only <paramref name="properties"/>) with its context.</summary>
    public Task<FluentValidation.Results.ValidationResult> ValidateAsync(
        EmployeeForm form, EmployeeRuleContext rules, CancellationToken ct = default, params string[] properties)
    {
        var context = properties.Length == 0
            ? new ValidationContext<EmployeeForm>(form)
            : ValidationContext<EmployeeForm>.CreateWithOptions(form, o => o.IncludeProperties(properties));
        context.RootContextData[ContextKey] = rules;
        return ValidateAsync(context, ct);
    }

    /// <summary>A new employee invited by e-mail instead of given a password.</summary>
    private static bool InvitesInstead(EmployeeForm f, ValidationContext<EmployeeForm> ctx) => f.SendInvitation && Rules(ctx).IsNew;

    private static EmployeeRuleContext Rules(ValidationContext<EmployeeForm> context) =>
        context.RootContextData.TryGetValue(ContextKey, out var value) && value is EmployeeRuleContext rules
            ? rules
            : throw new InvalidOperationException("Validate an EmployeeForm through EmployeeFormValidator.ValidateAsync(form, rules).");
}
