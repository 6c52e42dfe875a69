using FluentValidation;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Accounts;

/// <summary>The sign-up form: creates an account, its main account and a first project.</summary>
public sealed class SignUpRequest
{
    public string CompanyName { get; set; } = "";

    public string Email { get; set; } = "";

    public string Password { get; set; } = "";
}

/// <summary>Sign-up rules, shared by the form and <see cref="AccountService"/>.</summary>
public sealed class SignUpValidator : AbstractValidator<SignUpRequest>
{
    public SignUpValidator(IStringLocalizer<SignUpValidator> l)
    {
        RuleFor(r => r.CompanyName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Validation.Required"])
            .MaximumLength(Limits.CompanyName).WithMessage(_ => l["Validation.TooLong", Limits.CompanyName])
            .NoControlCharacters(l);
        RuleFor(r => r.Email).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Validation.Required"])
            .MaximumLength(Limits.Email).WithMessage(_ => l["Validation.TooLong", Limits.Email])
            .Must(EmailRules.IsValid).WithMessage(_ => l["Validation.Email"]);
        RuleFor(r => r.Password).StrongPassword(l);
    }
}
