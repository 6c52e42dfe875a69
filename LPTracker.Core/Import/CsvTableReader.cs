using System.Text;
using CsvHelper;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// CSV through CsvHelper: the separator (<c>;</c> <c>,</c> tab <c>|</c>) is detected by the library; the encoding here,
/// because Excel in a Russian locale saves "CSV" as Windows-1251 without a BOM: a BOM decides, otherwise a file that
/// is valid UTF-8 throughout is UTF-8 and anything else is Windows-1251 (Cyrillic text in 1251 is never valid UTF-8).
/// Records with broken quoting are skipped by the library and reported as rows with an error; quoted line breaks are
/// allowed (RFC 4180), so an unclosed quote runs to the end of the file — and is reported as such.
/// </summary>
internal static class CsvTableReader
{
    private static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    public static TabularTable Read(FileStream file, TabularLimits limits, IStringLocalizer l, CancellationToken ct)
    {
        var (encoding, encodingName) = DetectEncoding(file, l);
        file.Position = 0;
        var collector = new TabularRowCollector(limits, l);
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Encoding = encoding,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = bad => collector.AddUnreadable((int)bad.LineNumber, bad.RawRecord, l[ReasonKey(bad.Reason)]),
        };
        using var csv = CsvReader.Create(file, options, leaveOpen: true);
        while (csv.Read())
        {
            ct.ThrowIfCancellationRequested();
            collector.Add((int)csv.LineNumber, csv.Current.ToArray());
        }

        return new TabularTable(TabularFormat.Csv, encodingName, collector.Headers is null ? null : csv.Separator, collector.Headers ?? [], collector.Rows);
    }

    private static string ReasonKey(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "Tabular.Row.StrayQuote",
        CsvMalformedReason.TextAfterClosingQuote => "Tabular.Row.TextAfterQuote",
        CsvMalformedReason.UnterminatedQuote => "Tabular.Row.UnterminatedQuote",
        _ => "Tabular.Row.BadQuotes",
    };

    /// <summary>The encoding to give CsvHelper (null: UTF-8, or the BOM's) and its name for the user.</summary>
    private static (Encoding? Encoding, string Name) DetectEncoding(FileStream file, IStringLocalizer l)
    {
        Span<byte> bom = stackalloc byte[3];
        var read = file.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
        if (read >= 3 && bom is [0xEF, 0xBB, 0xBF])
        {
            return (null, "UTF-8");
        }

        if (read >= 2 && (bom[..2] is [0xFF, 0xFE] || bom[..2] is [0xFE, 0xFF]))
        {
            return (null, "UTF-16");
        }

        file.Position = 0;
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[64 * 1024];
        var chars = new char[buffer.Length + 4];
        try
        {
            while ((read = file.Read(buffer)) > 0)
            {
                if (buffer.AsSpan(0, read).Contains((byte)0))
                {
                    // NUL bytes: a binary file (a PDF, an image), which no text encoding makes a table of.
                    throw new TabularFileException(l["Tabular.NotTable"]);
                }

                // GetChars, not GetCharCount: only decoding carries a character split between two reads over to the
                // next one (GetCharCount leaves the decoder as it was, so a Cyrillic letter cut at the 64 KB boundary
                // made a valid UTF-8 file "Windows-1251").
                decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
            }

            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return (null, "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Windows1251, "Windows-1251");
        }
    }
}
