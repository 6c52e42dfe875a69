using LPTracker.Core;

namespace LPTracker.Web.Components.Employees.Editor;

/// <summary>
/// The editor's field errors by property name: from the validator while typing and from the service after a save.
/// The empty field name holds errors about the form as a whole.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    /// <summary>The messages of a field joined, or null when it has none.</summary>
    public string? this[string field] => _byField.TryGetValue(field, out var list) ? string.Join(" ", list) : null;

    public bool Any => _byField.Count > 0;

    public bool Has(string field) => _byField.ContainsKey(field);

    /// <summary>Replaces every error with <paramref name="errors"/>.</summary>
    public void Set(IEnumerable<FieldError> errors)
    {
        _byField.Clear();
        Add(errors);
    }

    /// <summary>Replaces the errors of the given fields only.</summary>
    public void SetFields(IEnumerable<string> fields, IEnumerable<FieldError> errors)
    {
        foreach (var field in fields)
        {
            _byField.Remove(field);
        }

        Add(errors);
    }

    public void Clear(string field) => _byField.Remove(field);

    /// <summary>
    /// The field's errors as a MudBlazor <c>Validation</c> function. A MudBlazor input re-validates itself on every
    /// change and, with no rule of its own, resets its error — an <c>Error</c> parameter that stays <c>true</c> is
    /// not applied again, so a second wrong value showed no error. With this rule the input agrees with the page.
    /// </summary>
    public Func<T, IEnumerable<string>> Rule<T>(string field) => _ => this[field] is { } message ? [message] : [];

    private void Add(IEnumerable<FieldError> errors)
    {
        foreach (var error in errors)
        {
            if (!_byField.TryGetValue(error.Field, out var list))
            {
                _byField[error.Field] = list = [];
            }

            if (!list.Contains(error.Message))
            {
                list.Add(error.Message);
            }
        }
    }
}
