using System.Text;

namespace LPTracker.Core.Export;

/// <summary>
/// CSV as Excel in Russian locales opens it: UTF-8 with a BOM, <c>;</c> between cells, RFC 4180 quoting. Cells that
/// a spreadsheet would run as a formula are neutralised by <see cref="SpreadsheetText"/>.
/// </summary>
public sealed class CsvWriter(TextWriter writer) : IDisposable, IAsyncDisposable
{
    public const char Separator = ';';

    /// <summary>A writer over <paramref name="output"/> that starts with the UTF-8 BOM; the stream stays open.</summary>
    public static CsvWriter Create(Stream output) =>
        new(new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024, leaveOpen: true) { NewLine = "\r\n" });

    public Task WriteRowAsync(params IEnumerable<string?> cells) =>
        writer.WriteLineAsync(string.Join(Separator, cells.Select(Escape)));

    /// <summary>One cell, neutralised against formula injection and quoted when needed.</summary>
    public static string Escape(string? value)
    {
        value = SpreadsheetText.Neutralise(value);
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.AsSpan().IndexOfAny(Separator, '"', '\n') >= 0 || value.Contains('\r', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    public void Dispose() => writer.Dispose();

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
