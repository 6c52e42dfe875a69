using FluentValidation.Results;

namespace LPTracker.Core;

/// <summary>One localised problem with the input; <see cref="Field"/> is empty for the form as a whole.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The outcome of a command: success, or the localised reasons nothing was changed.</summary>
public class OperationResult
{
    protected OperationResult(IReadOnlyList<FieldError> errors) => Errors = errors;

    public IReadOnlyList<FieldError> Errors { get; }

    public bool Succeeded => Errors.Count == 0;

    public static OperationResult Ok() => new([]);

    public static OperationResult Fail(string field, string message) => new([new FieldError(field, message)]);

    public static OperationResult Fail(ValidationResult validation) =>
        new(validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)).ToList());

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    public string Summary => string.Join(" ", Errors.Select(e => e.Message));
}

/// <summary>An outcome that carries a value when it succeeds.</summary>
public sealed class OperationResult<T> : OperationResult
{
    private OperationResult(T? value, IReadOnlyList<FieldError> errors) : base(errors) => Value = value;

    public T? Value { get; }

    public static OperationResult<T> Ok(T value) => new(value, []);

    public static new OperationResult<T> Fail(string field, string message) => new(default, [new FieldError(field, message)]);

    public static new OperationResult<T> Fail(ValidationResult validation) =>
        new(default, validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)).ToList());

    public static OperationResult<T> From(OperationResult failed) => new(default, failed.Errors);
}
