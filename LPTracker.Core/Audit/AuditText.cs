using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Audit;

/// <summary>How a change's field is named to people (the page and the CSV use the same words).</summary>
public static class AuditText
{
    public static string Field(IStringLocalizer l, AuditChange change)
    {
        var name = l[$"Audit.Field.{change.Field}"].Value;
        return change.Scope is { } scope ? $"{scope}: {name}" : name;
    }
}
