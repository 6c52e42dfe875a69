using LPTracker.Core.Export;

namespace LPTracker.Core.Crm;

/// <summary>The CRM exports' cell rule: <see cref="SpreadsheetText.Neutralise"/> (formula injection).</summary>
public static class CsvCells
{
    public static string? Safe(string? value) => SpreadsheetText.Neutralise(value);
}
