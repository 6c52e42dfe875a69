namespace LPTracker.Core.Import;

/// <summary>The file formats <see cref="TabularReader"/> reads.</summary>
public enum TabularFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// One data row as the user sees it in a spreadsheet: <see cref="Number"/> is the row number in the file (the header
/// is row 1), <see cref="Cells"/> the values as text, and <see cref="Error"/> a localised reason when the row could
/// not be read (broken quotes, too many columns); such a row's <see cref="Cells"/> hold its raw text in one cell.
/// </summary>
public sealed record TabularRow(int Number, IReadOnlyList<string> Cells, string? Error = null)
{
    /// <summary>The cell at <paramref name="column"/>, trimmed; "" when the row is shorter.</summary>
    public string Cell(int column) => column >= 0 && column < Cells.Count ? Cells[column].Trim() : "";
}

/// <summary>A table read from an uploaded file: its header, its non-empty data rows, and what was detected.</summary>
/// <param name="Format">CSV or XLSX, detected from the content, not the file name.</param>
/// <param name="Encoding">For CSV, the detected encoding ("UTF-8", "UTF-16", "Windows-1251"); null for XLSX.</param>
/// <param name="Separator">For CSV, the detected separator; null for XLSX.</param>
/// <param name="Headers">The first row's cells, trimmed.</param>
/// <param name="Rows">Every data row that is not blank, in file order.</param>
public sealed record TabularTable(TabularFormat Format, string? Encoding, char? Separator, IReadOnlyList<string> Headers, IReadOnlyList<TabularRow> Rows);
