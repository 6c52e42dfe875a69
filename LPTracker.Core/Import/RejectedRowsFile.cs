using System.Globalization;
using LPTracker.Core.Export;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// The rows an import refused, as a CSV the user can fix and import again: the file's own columns, then the row
/// number in the original file and the reason.
/// </summary>
public sealed class RejectedRowsFile(IStringLocalizer<RejectedRowsFile> l)
{
    public async Task WriteAsync(Stream output, IReadOnlyList<string> headers, IEnumerable<ImportRejection> rejections, CancellationToken ct = default)
    {
        await using var csv = CsvWriter.Create(output);
        await csv.WriteRowAsync([.. headers, l["Import.Column.Row"], l["Import.Column.Reason"]]);
        foreach (var r in rejections)
        {
            ct.ThrowIfCancellationRequested();
            var cells = Enumerable.Range(0, Math.Max(headers.Count, r.Cells.Count)).Select(i => i < r.Cells.Count ? r.Cells[i] : "");
            await csv.WriteRowAsync([.. cells.Take(Math.Max(headers.Count, r.Cells.Count)), r.RowNumber.ToString(CultureInfo.InvariantCulture), r.Reason]);
        }
    }
}
