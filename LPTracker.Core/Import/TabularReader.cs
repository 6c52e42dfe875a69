using Microsoft.Extensions.Localization;

namespace LPTracker.Core.Import;

/// <summary>
/// Reads an uploaded CSV or XLSX file into rows of text with their row numbers, for every import (contacts, leads,
/// employees). The format is told by the content, not the name: a renamed text file gets a clear message, not a
/// crash. The upload is first spooled to a temporary file with <see cref="TabularLimits.MaxBytes"/> enforced while it
/// streams (a zip needs random access, and the encoding check reads the CSV twice); the temporary file is deleted on
/// close. A row that cannot be read (broken quotes) becomes a <see cref="TabularRow"/> with an error, never an exception.
/// </summary>
public sealed class TabularReader(IStringLocalizer<TabularReader> l)
{
    private static ReadOnlySpan<byte> ZipMagic => "PK\u0003\u0004"u8;

    private static ReadOnlySpan<byte> OleMagic => [0xD0, 0xCF, 0x11, 0xE0];

    /// <summary>Reads <paramref name="input"/> (read to its end; not closed). <paramref name="fileName"/> is only used in messages.</summary>
    public async Task<OperationResult<TabularTable>> ReadAsync(Stream input, string fileName, TabularLimits? limits = null, CancellationToken ct = default)
    {
        limits ??= TabularLimits.Default;
        await using var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        if (!await SpoolAsync(input, spool, limits.MaxBytes, ct))
        {
            return OperationResult<TabularTable>.Fail("", l["Tabular.TooLarge", limits.MaxBytes / (1024 * 1024)]);
        }

        var head = new byte[8];
        spool.Position = 0;
        var headLength = await spool.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        spool.Position = 0;
        try
        {
            // Parsing is synchronous CPU work over a local file; off the caller's thread so a Blazor circuit stays responsive.
            var table = head.AsSpan(0, headLength) switch
            {
                var h when h.StartsWith(ZipMagic) => await Task.Run(() => XlsxTableReader.Read(spool, limits, l, ct), ct),
                var h when h.StartsWith(OleMagic) => throw new TabularFileException(l["Tabular.OldXls"]),
                _ when LooksLikeWorkbookName(fileName) => throw new TabularFileException(l["Tabular.NotXlsx", fileName]),
                _ => await Task.Run(() => CsvTableReader.Read(spool, limits, l, ct), ct),
            };
            return table.Headers.Count == 0
                ? OperationResult<TabularTable>.Fail("", l["Tabular.Empty"])
                : OperationResult<TabularTable>.Ok(table);
        }
        catch (TabularFileException e)
        {
            return OperationResult<TabularTable>.Fail("", e.Message);
        }
    }

    private static bool LooksLikeWorkbookName(string fileName) =>
        Path.GetExtension(fileName).ToUpperInvariant() is ".XLSX" or ".XLS" or ".XLSM";

    /// <summary>Copies at most <paramref name="maxBytes"/>; false as soon as the input proves longer.</summary>
    private static async Task<bool> SpoolAsync(Stream input, Stream spool, long maxBytes, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return false;
            }

            await spool.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        await spool.FlushAsync(ct);
        return true;
    }
}

/// <summary>A whole file refused, with a localised message for the user.</summary>
internal sealed class TabularFileException(string message) : Exception(message);
