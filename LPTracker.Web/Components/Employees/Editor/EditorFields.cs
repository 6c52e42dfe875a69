using LPTracker.Core.Employees;
using Microsoft.Extensions.Localization;

namespace LPTracker.Web.Components.Employees.Editor;

/// <summary>
/// The editor's fields as one table, so "has the user changed anything", "what did someone else change" and
/// "merge their changes into mine" all walk the same list. Per-project rows are fields of their own, so two
/// administrators changing different projects do not collide.
/// </summary>
public static class EditorFields
{
    private sealed record Field(string Label, Func<EmployeeForm, object?> Get, Action<EmployeeForm, object?> Set);

    private static readonly Field[] Scalar =
    [
        new("Editor.Photo", f => f.PhotoFile, (f, v) => f.PhotoFile = (string?)v),
        new("Editor.Name", f => f.Name, (f, v) => f.Name = (string)v!),
        new("Editor.Login", f => f.LoginSuffix, (f, v) => f.LoginSuffix = (string)v!),
        new("Editor.Phone", f => f.Phone, (f, v) => f.Phone = (string?)v),
        new("Editor.Email", f => f.Email, (f, v) => f.Email = (string?)v),
        new("Editor.Position", f => f.Position, (f, v) => f.Position = (string?)v),
        new("Editor.DisplayedNumber", f => f.DisplayedNumberId, (f, v) => f.DisplayedNumberId = (int?)v),
        new("Editor.CallReceiving", f => f.CallReceiving, (f, v) => f.CallReceiving = (CallReceivingMethod)v!),
        new("Editor.SimNumber", f => f.SimNumber, (f, v) => f.SimNumber = (string?)v),
        new("Editor.HideClientNumber", f => f.HideClientNumber, (f, v) => f.HideClientNumber = (bool)v!),
        new("Editor.PopUpContactCard", f => f.PopUpContactCard, (f, v) => f.PopUpContactCard = (bool)v!),
        new("Editor.CommonSections", f => f.CommonSections, (f, v) => f.CommonSections = (LPTracker.Core.Permissions.CommonSections)v!),
        new("Editor.Permissions", f => f.Permissions, (f, v) => f.Permissions = (LPTracker.Core.Permissions.EmployeePermissions)v!),
    ];

    /// <summary>True when <paramref name="edited"/> differs from <paramref name="loaded"/> (a new password counts).</summary>
    public static bool Differ(EmployeeForm loaded, EmployeeForm edited) =>
        !string.IsNullOrEmpty(edited.Password) || Fields(loaded, edited).Any(f => !Equals(f.Get(loaded), f.Get(edited)));

    /// <summary>
    /// After a conflict: takes what someone else saved (<paramref name="stored"/>) into every field the user left as
    /// loaded, keeps the user's value where they changed it, and returns the labels of the fields the other person
    /// changed — the ones the user also changed first (<see cref="MergeResult.Overlapping"/>).
    /// </summary>
    public static MergeResult Merge(EmployeeForm loaded, EmployeeForm edited, EmployeeForm stored, IStringLocalizer l)
    {
        var merged = edited.Clone();
        merged.Version = stored.Version;
        var overlapping = new List<string>();
        var taken = new List<string>();
        foreach (var field in Fields(loaded, stored))
        {
            var theirs = field.Get(stored);
            if (Equals(field.Get(loaded), theirs))
            {
                continue;
            }

            if (Equals(field.Get(loaded), field.Get(edited)))
            {
                field.Set(merged, theirs);
                taken.Add(field.Label(l));
            }
            else if (!Equals(field.Get(edited), theirs))
            {
                overlapping.Add(field.Label(l));
            }
        }

        return new MergeResult(merged, taken, overlapping);
    }

    private sealed record Resolved(Func<IStringLocalizer, string> Label, Func<EmployeeForm, object?> Get, Action<EmployeeForm, object?> Set);

    private static IEnumerable<Resolved> Fields(EmployeeForm a, EmployeeForm b)
    {
        foreach (var field in Scalar)
        {
            yield return new(l => l[field.Label], field.Get, field.Set);
        }

        foreach (var projectId in a.Projects.Concat(b.Projects).Select(p => p.ProjectId).Distinct())
        {
            var name = a.Projects.Concat(b.Projects).First(p => p.ProjectId == projectId).ProjectName;
            yield return new(
                l => $"{l["Editor.Access"]}: {name}",
                f => f.Projects.FirstOrDefault(p => p.ProjectId == projectId) is { } row ? row with { ProjectName = "" } : null,
                (f, v) =>
                {
                    f.Projects.RemoveAll(p => p.ProjectId == projectId);
                    if (v is ProjectAccessForm row)
                    {
                        f.Projects.Add(row with { ProjectName = name });
                        f.Projects.Sort((x, y) => x.ProjectId.CompareTo(y.ProjectId));
                    }
                });
        }
    }
}

/// <summary>The user's form with someone else's non-overlapping changes taken in.</summary>
/// <param name="Form">What to keep editing (carries the stored version, so the next save goes through).</param>
/// <param name="Taken">Labels of fields updated from the other person's save.</param>
/// <param name="Overlapping">Labels of fields both changed; the user's value is kept and shown.</param>
public sealed record MergeResult(EmployeeForm Form, IReadOnlyList<string> Taken, IReadOnlyList<string> Overlapping);
