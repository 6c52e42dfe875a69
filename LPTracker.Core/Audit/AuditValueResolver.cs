using LPTracker.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Audit;

/// <summary>
/// Replaces ids in collected records with what people recognise (a number's E.164 form, a project's name) and
/// fills in names of employees that were not loaded by the save. Runs once per audited save, two queries at most.
/// </summary>
internal static class AuditValueResolver
{
    private const string ProjectPrefix = "project:";

    private static readonly HashSet<string> NumberFields = ["DisplayedNumberId", "SingleNumberId"];

    /// <summary>A placeholder for a project's name, resolved after the save.</summary>
    public static string ProjectRef(int projectId) => ProjectPrefix + projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task ResolveAsync(LptrackerDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        var accounts = records.Select(r => r.AccountId).Distinct().ToList();
        var changes = records.SelectMany(r => r.Changes).ToList();
        var numberIds = changes.Where(c => NumberFields.Contains(c.Field)).SelectMany(c => Ids(c.Before, c.After)).ToHashSet();
        var projectIds = changes.Where(c => c.Field == "ProjectId").SelectMany(c => Ids(c.Before, c.After))
            .Concat(changes.Select(c => c.Scope).Where(s => s?.StartsWith(ProjectPrefix, StringComparison.Ordinal) == true)
                .SelectMany(s => Ids(s![ProjectPrefix.Length..], null)))
            .ToHashSet();
        var numbers = numberIds.Count == 0 ? [] : await db.Numbers.IgnoreQueryFilters()
            .Where(n => accounts.Contains(n.AccountId) && numberIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.E164, ct);
        var projects = projectIds.Count == 0 ? [] : await db.Projects.IgnoreQueryFilters()
            .Where(p => accounts.Contains(p.AccountId) && projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        foreach (var record in records)
        {
            record.Changes = record.Changes.Select(c => c with
            {
                Before = Name(c, c.Before, numbers, projects),
                After = Name(c, c.After, numbers, projects),
                Scope = c.Scope is { } s && s.StartsWith(ProjectPrefix, StringComparison.Ordinal) && int.TryParse(s[ProjectPrefix.Length..], out var id)
                    ? projects.GetValueOrDefault(id, $"#{id}")
                    : c.Scope,
            }).ToList();
        }

        var unnamed = records.Where(r => r.Subject.Length == 0 && r.TargetEmployeeId is not null).Select(r => r.TargetEmployeeId!.Value).ToHashSet();
        if (unnamed.Count > 0)
        {
            var names = await db.Employees.IgnoreQueryFilters().Where(e => accounts.Contains(e.AccountId) && unnamed.Contains(e.Id))
                .ToDictionaryAsync(e => e.Id, e => e.Name, ct);
            foreach (var record in records.Where(r => r.Subject.Length == 0 && r.TargetEmployeeId is not null))
            {
                record.Subject = names.GetValueOrDefault(record.TargetEmployeeId!.Value, $"#{record.TargetEmployeeId}");
            }
        }
    }

    private static string? Name(AuditChange change, string? value, Dictionary<int, string> numbers, Dictionary<int, string> projects)
    {
        if (value is null || !int.TryParse(value, out var id))
        {
            return value;
        }

        return NumberFields.Contains(change.Field) ? numbers.GetValueOrDefault(id, value)
            : change.Field == "ProjectId" ? projects.GetValueOrDefault(id, value)
            : value;
    }

    private static IEnumerable<int> Ids(string? a, string? b)
    {
        if (int.TryParse(a, out var x))
        {
            yield return x;
        }

        if (int.TryParse(b, out var y))
        {
            yield return y;
        }
    }
}
