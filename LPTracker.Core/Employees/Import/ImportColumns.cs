using LPTracker.Core.Employees.Bulk;

namespace LPTracker.Core.Employees.Import;

/// <summary>
/// Which file column is which: headers are matched in Russian or English whatever the UI language (a file is often
/// prepared by someone else), case- and «ё»-insensitively, so an exported file imports back unchanged.
/// </summary>
internal static class ImportColumns
{
    public static readonly EmployeeColumn[] Read =
        [EmployeeColumn.Name, EmployeeColumn.Login, EmployeeColumn.Email, EmployeeColumn.Phone, EmployeeColumn.Position, EmployeeColumn.Projects, EmployeeColumn.Receiving];

    private static readonly Dictionary<string, EmployeeColumn> Aliases = new(StringComparer.Ordinal)
    {
        ["имя"] = EmployeeColumn.Name, ["фио"] = EmployeeColumn.Name, ["name"] = EmployeeColumn.Name, ["full name"] = EmployeeColumn.Name,
        ["логин"] = EmployeeColumn.Login, ["login"] = EmployeeColumn.Login,
        ["e-mail"] = EmployeeColumn.Email, ["email"] = EmployeeColumn.Email, ["почта"] = EmployeeColumn.Email,
        ["телефон"] = EmployeeColumn.Phone, ["phone"] = EmployeeColumn.Phone,
        ["должность"] = EmployeeColumn.Position, ["position"] = EmployeeColumn.Position,
        ["проекты"] = EmployeeColumn.Projects, ["проект"] = EmployeeColumn.Projects, ["projects"] = EmployeeColumn.Projects, ["project"] = EmployeeColumn.Projects,
        ["способ приема звонков"] = EmployeeColumn.Receiving, ["способ приема"] = EmployeeColumn.Receiving,
        ["receiving method"] = EmployeeColumn.Receiving, ["receiving"] = EmployeeColumn.Receiving,
    };

    private static readonly Dictionary<string, CallReceivingMethod> Methods = new(StringComparer.Ordinal)
    {
        ["sip"] = CallReceivingMethod.Sip, ["на sip"] = CallReceivingMethod.Sip,
        ["мобильный"] = CallReceivingMethod.Mobile, ["на мобильный"] = CallReceivingMethod.Mobile, ["mobile"] = CallReceivingMethod.Mobile,
        ["sim"] = CallReceivingMethod.Sim, ["sim-карта lptracker"] = CallReceivingMethod.Sim, ["на sim-карту lptracker"] = CallReceivingMethod.Sim,
        ["lptracker sim card"] = CallReceivingMethod.Sim,
    };

    /// <summary>Column index per known column; unknown headers are ignored (the export's status columns, notes).</summary>
    public static Dictionary<EmployeeColumn, int> Map(IReadOnlyList<string> headers)
    {
        var map = new Dictionary<EmployeeColumn, int>();
        for (var i = 0; i < headers.Count; i++)
        {
            if (Aliases.TryGetValue(Fold(headers[i]), out var column))
            {
                map.TryAdd(column, i);
            }
        }

        return map;
    }

    /// <summary>The receiving method a cell names; an empty cell means SIP (the editor's default).</summary>
    public static CallReceivingMethod? Method(string cell) =>
        cell.Length == 0 ? CallReceivingMethod.Sip : Methods.TryGetValue(Fold(cell), out var m) ? m : null;

    public static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        .ToLowerInvariant().Replace('ё', 'е');
}
