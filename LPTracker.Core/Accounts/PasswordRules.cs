using FluentValidation;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Accounts;

/// <summary>Password strength: 8–128 characters with at least one letter and one digit.</summary>
public static class PasswordRules
{
    public static bool IsStrong(string? value) =>
        value is { Length: >= Limits.PasswordMin and <= Limits.PasswordMax } && value.Any(char.IsLetter) && value.Any(char.IsDigit);

    public static IRuleBuilderOptions<T, string> StrongPassword<T>(this IRuleBuilderInitial<T, string> rule, IStringLocalizer l) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => l["Validation.Required"])
            .MaximumLength(Limits.PasswordMax).WithMessage(_ => l["Validation.TooLong", Limits.PasswordMax])
            .Must(IsStrong).WithMessage(_ => l["Validation.WeakPassword", Limits.PasswordMin]);
}
