using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// The rules both formats share once a row's cells are read: the first row is the header, blank rows are dropped,
/// cells past <see cref="TabularLimits.MaxColumns"/> make the row an error, and one row too many refuses the file.
/// </summary>
internal sealed class TabularRowCollector(TabularLimits limits, IStringLocalizer l)
{
    private readonly List<TabularRow> _rows = [];

    public IReadOnlyList<string>? Headers { get; private set; }

    public IReadOnlyList<TabularRow> Rows => _rows;

    public void Add(int number, IReadOnlyList<string> cells)
    {
        if (Headers is null)
        {
            Headers = [.. cells.Take(limits.MaxColumns).Select(c => c.Trim())];
            _rows.Clear(); // an unreadable line above the header is not data
            return;
        }

        if (cells.All(string.IsNullOrWhiteSpace))
        {
            return;
        }

        Keep(cells.Count > limits.MaxColumns && cells.Skip(limits.MaxColumns).Any(c => !string.IsNullOrWhiteSpace(c))
            ? new TabularRow(number, [.. cells.Take(limits.MaxColumns)], l["Tabular.Row.TooManyColumns", limits.MaxColumns])
            : new TabularRow(number, cells));
    }

    public void AddUnreadable(int number, string rawText, string error) => Keep(new TabularRow(number, [rawText], error));

    private void Keep(TabularRow row)
    {
        _rows.Add(row);
        if (_rows.Count > limits.MaxRows)
        {
            throw new TabularFileException(l["Tabular.TooManyRows", limits.MaxRows]);
        }
    }
}
