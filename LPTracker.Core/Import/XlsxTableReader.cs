using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// The first sheet of an XLSX workbook through MiniExcel, which streams the sheet XML row by row. Numbers come back
/// as they read in the cell (a phone typed as a number, <c>79001234567</c>, keeps every digit), dates as ISO text.
/// Any failure of the library on the file (a damaged zip, a zip that is not a workbook) is one clear message.
/// </summary>
internal static class XlsxTableReader
{
    private static readonly OpenXmlConfiguration Options = new() { FillMergedCells = false, IgnoreEmptyRows = false };

    public static TabularTable Read(FileStream file, TabularLimits limits, IStringLocalizer l, CancellationToken ct)
    {
        var collector = new TabularRowCollector(limits, l);
        var number = 0;
        try
        {
            foreach (IDictionary<string, object?> row in MiniExcel.Query(file, useHeaderRow: false, excelType: ExcelType.XLSX, configuration: Options))
            {
                ct.ThrowIfCancellationRequested();
                collector.Add(++number, TrimEnd(row.Values.Select(Text).ToArray()));
            }
        }
        catch (Exception e) when (e is not (TabularFileException or OperationCanceledException))
        {
            throw new TabularFileException(l["Tabular.BadXlsx"]);
        }

        return new TabularTable(TabularFormat.Xlsx, null, null, collector.Headers ?? [], collector.Rows);
    }

    /// <summary>A sheet's rows are as wide as its widest row; the empty cells on the right mean nothing.</summary>
    private static string[] TrimEnd(string[] cells)
    {
        var length = cells.Length;
        while (length > 0 && string.IsNullOrWhiteSpace(cells[length - 1]))
        {
            length--;
        }

        return cells[..length];
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t when t.TimeOfDay == TimeSpan.Zero => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
