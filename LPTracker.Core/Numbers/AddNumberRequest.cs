using FluentValidation;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Numbers;

/// <summary>Adds a number on Virtual PBX → Numbers.</summary>
public sealed class AddNumberRequest
{
    /// <summary>The number in any common format; stored as E.164.</summary>
    public string Number { get; set; } = "";

    public int? ProjectId { get; set; }
}

/// <summary>The number must be a valid phone number (see <see cref="PhoneRules"/>).</summary>
public sealed class AddNumberValidator : AbstractValidator<AddNumberRequest>
{
    public AddNumberValidator(IStringLocalizer<AddNumberValidator> l)
    {
        RuleFor(r => r.Number).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => l["Validation.Required"])
            .Must(PhoneRules.IsValid).WithMessage(_ => l["Pbx.NumberInvalid"]);
    }
}
