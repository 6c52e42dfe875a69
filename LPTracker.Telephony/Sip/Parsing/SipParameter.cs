namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>A <c>;name[=value]</c> parameter of a URI or header value. Names compare case-insensitively.</summary>
/// <param name="Name">The parameter name as received.</param>
/// <param name="Value">The value (unquoted for quoted-strings), or null for a flag parameter like <c>;lr</c>.</param>
public readonly record struct SipParameter(string Name, string? Value);

/// <summary>Lookups over a parameter list.</summary>
public static class SipParameterExtensions
{
    /// <summary>Finds a parameter by name (case-insensitive).</summary>
    public static bool TryGet(this IReadOnlyList<SipParameter> parameters, string name, out string? value)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            var candidate = parameters[i].Name;
            if (candidate.Length == name.Length && candidate.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = parameters[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>The value of a parameter, or null when it is absent or has no value.</summary>
    public static string? Get(this IReadOnlyList<SipParameter> parameters, string name) =>
        parameters.TryGet(name, out var value) ? value : null;
}
