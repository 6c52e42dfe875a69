using System.Runtime.CompilerServices;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace LPTracker.Core.Export;

/// <summary>
/// An XLSX workbook of one sheet, written by MiniExcel as the rows arrive: rows stream from the database to the
/// output (which need not be seekable, e.g. an HTTP response), so 100,000 rows never sit in memory. Text cells are
/// neutralised against formula injection by <see cref="SpreadsheetText"/>, as in the CSV export; numbers and dates
/// stay typed so the spreadsheet can sum and sort them.
/// </summary>
public static class XlsxWriter
{
    private static readonly OpenXmlConfiguration Options = new() { AutoFilter = true, FreezeRowCount = 1, EnableAutoWidth = false };

    /// <summary>
    /// Writes <paramref name="headers"/> and then <paramref name="rows"/> (each as long as the header; a cell is
    /// text, a number, a <see cref="DateTime"/> or null) to <paramref name="output"/>, which stays open.
    /// </summary>
    public static async Task WriteAsync(Stream output, IReadOnlyList<string> headers, IAsyncEnumerable<IReadOnlyList<object?>> rows,
        string sheetName = "Sheet1", CancellationToken ct = default)
    {
        var keys = UniqueKeys(headers);
        await MiniExcel.SaveAsAsync(output, Records(keys, rows, ct), printHeader: true, sheetName: sheetName,
            excelType: ExcelType.XLSX, configuration: Options, cancellationToken: ct);
    }

    private static async IAsyncEnumerable<IDictionary<string, object?>> Records(string[] keys, IAsyncEnumerable<IReadOnlyList<object?>> rows,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in rows.WithCancellation(ct))
        {
            var record = new Dictionary<string, object?>(keys.Length, StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                var cell = i < row.Count ? row[i] : null;
                record[keys[i]] = cell is string s ? SpreadsheetText.Neutralise(s) : cell;
            }

            yield return record;
        }
    }

    /// <summary>The header cells become the records' keys, which must differ: a repeated one gets " (2)", " (3)".</summary>
    private static string[] UniqueKeys(IReadOnlyList<string> headers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return headers.Select(h =>
        {
            var key = SpreadsheetText.Neutralise(h) ?? "";
            for (var n = 2; !seen.Add(key); n++)
            {
                key = $"{h} ({n})";
            }

            return key;
        }).ToArray();
    }
}
