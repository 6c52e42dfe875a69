using System.Globalization;
using System.IO.Compression;
using System.Text;
using LPTracker.Core;
using LPTracker.Core.Export;
using LPTracker.Core.Import;
using LPTracker.Core.Localization;
using LPTracker.Tests.Infrastructure;
using Microsoft.Extensions.Localization;

namespace LPTracker.Tests.Core.Import;

/// <summary>Real files written to disk and read back through <see cref="TabularReader"/>, as an upload would be.</summary>
public sealed class TabularReaderTests : IDisposable
{
    private static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
    private readonly TempFolder _folder = new();
    private readonly TabularReader _reader =
        new(new StringLocalizer<TabularReader>(new JsonStringLocalizerFactory([typeof(CoreExtensions).Assembly])));

    public TabularReaderTests() => CultureInfo.CurrentUICulture = new CultureInfo("en-US");

    public void Dispose() => _folder.Dispose();

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<OperationResult<TabularTable>> ReadAsync(string path, TabularLimits? limits = null)
    {
        await using var file = File.OpenRead(path);
        return await _reader.ReadAsync(file, Path.GetFileName(path), limits);
    }

    public static TheoryData<string, string, char> CsvVariants => new()
    {
        { "utf8-bom-semicolon", "UTF-8 BOM ;", ';' },
        { "utf8-comma", "UTF-8 ,", ',' },
        { "cp1251-semicolon", "Windows-1251 ;", ';' },
        { "cp1251-comma", "Windows-1251 ,", ',' },
    };

    [Theory]
    [MemberData(nameof(CsvVariants))]
    public async Task A_csv_is_read_whatever_its_encoding_and_separator(string name, string variant, char separator)
    {
        var text = $"Имя{separator}Телефон{separator}Комментарий\r\nИванов Пётр{separator}+7 900 123-45-67{separator}\"Ёлка{separator} шар\"\r\n";
        var bytes = variant.StartsWith("Windows", StringComparison.Ordinal)
            ? Windows1251.GetBytes(text)
            : variant.Contains("BOM", StringComparison.Ordinal) ? [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);

        var result = await ReadAsync(Save(name + ".csv", bytes));

        Assert.True(result.Succeeded, result.Summary);
        var table = result.Value!;
        Assert.Equal(["Имя", "Телефон", "Комментарий"], table.Headers);
        Assert.Equal(separator, table.Separator);
        Assert.Equal(variant.Split(' ')[0], table.Encoding);
        var row = Assert.Single(table.Rows);
        Assert.Equal(2, row.Number);
        Assert.Equal(["Иванов Пётр", "+7 900 123-45-67", $"Ёлка{separator} шар"], row.Cells);
    }

    [Fact]
    public async Task Broken_quotes_make_an_error_row_with_its_number_and_the_other_rows_are_read()
    {
        var path = Save("broken.csv", Encoding.UTF8.GetBytes("Имя;Телефон\nАнна;1\nБорис;2\"3\n\nВера;3\n\"Галина\"x;4\nДмитрий;5\n"));

        var table = (await ReadAsync(path)).Value!;

        Assert.Equal([(2, null), (3, "quote"), (5, null), (6, "closing quote"), (7, null)],
            table.Rows.Select(r => (r.Number, r.Error is null ? null : r.Error.Contains("closing quote", StringComparison.Ordinal) ? "closing quote" : "quote")));
        Assert.Equal("Вера", table.Rows[2].Cells[0]);
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_on_its_row_instead_of_crashing()
    {
        var path = Save("unclosed.csv", Encoding.UTF8.GetBytes("Имя;Телефон\nАнна;1\n\"Борис;2\nВера;3\n"));

        var table = (await ReadAsync(path)).Value!;

        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(3, table.Rows[1].Number);
        Assert.Contains("never closed", table.Rows[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_utf8_file_with_a_cyrillic_letter_cut_by_the_detectors_64_kb_read_is_still_utf8()
    {
        // ASCII rows up to byte 65,534, so that the two bytes of the next row's "Ж" are bytes 65,535 and 65,536.
        var text = new StringBuilder("Имя;Заметка\n");
        while (Encoding.UTF8.GetByteCount(text.ToString()) < 65_535 - 100)
        {
            text.Append("Anna;note\n");
        }

        var padding = 65_535 - Encoding.UTF8.GetByteCount(text.ToString()) - "Anna;\n".Length;
        text.Append("Anna;").Append('x', padding).Append('\n');
        Assert.Equal(65_535, Encoding.UTF8.GetByteCount(text.ToString()));
        text.Append("Жанна;Ёлка\n");

        var table = (await ReadAsync(Save("split.csv", Encoding.UTF8.GetBytes(text.ToString())))).Value!;

        Assert.Equal(("UTF-8", "Жанна", "Ёлка"), (table.Encoding, table.Rows[^1].Cells[0], table.Rows[^1].Cells[1]));
    }

    [Fact]
    public async Task Ten_thousand_rows_are_read_with_their_row_numbers()
    {
        var text = new StringBuilder("Имя;Телефон\n");
        for (var i = 0; i < 10_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Контакт {i};+7900{i:D7}\n");
        }

        var table = (await ReadAsync(Save("big.csv", Encoding.UTF8.GetBytes(text.ToString())))).Value!;

        Assert.Equal(10_000, table.Rows.Count);
        Assert.Equal((10_001, "Контакт 9999"), (table.Rows[^1].Number, table.Rows[^1].Cells[0]));
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_with_a_message()
    {
        var path = Path.Combine(_folder.Path, "huge.csv");
        await using (var file = File.Create(path))
        {
            var line = Encoding.UTF8.GetBytes("Имя;Телефон;Длинный комментарий для объёма " + new string('x', 1000) + "\n");
            await file.WriteAsync(Encoding.UTF8.GetBytes("Имя;Телефон;Комментарий\n"));
            while (file.Length <= TabularLimits.Default.MaxBytes)
            {
                await file.WriteAsync(line);
            }
        }

        var result = await ReadAsync(path);

        Assert.False(result.Succeeded);
        Assert.Contains("larger than 50 MB", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_rows_than_the_cap_are_refused()
    {
        var path = Save("rows.csv", Encoding.UTF8.GetBytes("A\n1\n2\n3\n4\n"));

        var result = await ReadAsync(path, TabularLimits.Default with { MaxRows = 3 });

        Assert.Contains("more than 3 rows", result.Summary, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "renamed.xlsx", Encoding.UTF8.GetBytes("Имя;Телефон\nАнна;1\n"), "is not one" },
        { "old.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "97–2003" },
        { "truncated.xlsx", [.. "PK\u0003\u0004"u8, .. new byte[300]], "damaged" },
        { "not-a-workbook.xlsx", ZipWith("hello.txt", "hi"), "damaged" },
        { "picture.csv", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "binary" },
        { "empty.csv", [], "empty" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_file_that_is_not_a_table_gets_a_clear_message(string name, byte[] bytes, string message)
    {
        var result = await ReadAsync(Save(name, bytes));

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renamed_text_file_is_refused_in_russian_by_default()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

        var result = await ReadAsync(Save("contacts.xlsx", Encoding.UTF8.GetBytes("Имя\nАнна\n")));

        Assert.Contains("назван как книга Excel", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_xlsx_written_by_the_export_reads_back_with_numbers_and_dates_as_text()
    {
        var path = Path.Combine(_folder.Path, "book.xlsx");
        await using (var file = File.Create(path))
        {
            await XlsxWriter.WriteAsync(file, ["Имя", "Телефон", "Сумма", "Дата"], Rows(
                ["Анна", 79001234567L, 1500.5m, new DateTime(2026, 11, 30)],
                ["", null, null, null],
                ["Борис", "+7 812 389-32-98", 7, new DateTime(2026, 11, 30, 9, 15, 0)]));
        }

        var table = (await ReadAsync(path)).Value!;

        Assert.Equal(TabularFormat.Xlsx, table.Format);
        Assert.Equal(["Имя", "Телефон", "Сумма", "Дата"], table.Headers);
        Assert.Equal([2, 4], table.Rows.Select(r => r.Number));
        Assert.Equal(["Анна", "79001234567", "1500.5", "2026-11-30"], table.Rows[0].Cells);
        Assert.Equal(["Борис", "+7 812 389-32-98", "7", "2026-11-30 09:15"], table.Rows[1].Cells);
    }

    internal static async IAsyncEnumerable<IReadOnlyList<object?>> Rows(params object?[][] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private static byte[] ZipWith(string entry, string text)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
            writer.Write(text);
        }

        return memory.ToArray();
    }
}
