using System.IO.Compression;
using System.Text.RegularExpressions;
using LPTracker.Core.Export;

namespace LPTracker.Tests.Core.Import;

public sealed partial class XlsxWriterTests
{
    private static async Task<string> SheetXmlAsync(IReadOnlyList<string> headers, params object?[][] rows)
    {
        using var output = new NonSeekableStream();
        await XlsxWriter.WriteAsync(output, headers, TabularReaderTests.Rows(rows));
        using var zip = new ZipArchive(new MemoryStream(output.Written.ToArray()));
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var sheet = await reader.ReadToEndAsync();
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } s ? await new StreamReader(s.Open()).ReadToEndAsync() : "";
        return sheet + shared;
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)", "'@SUM(1+1)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("+7 812 389-32-98", "+7 812 389-32-98")]
    public async Task Formula_text_is_escaped_and_phone_numbers_kept(string value, string written)
    {
        var xml = await SheetXmlAsync(["Имя"], [value]);

        Assert.Contains(">" + System.Security.SecurityElement.Escape(written) + "<", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_that_repeats_still_gets_its_own_column()
    {
        var xml = await SheetXmlAsync(["Телефон", "Телефон"], ["1", "2"]);

        Assert.Contains("Телефон (2)", xml, StringComparison.Ordinal);
        Assert.Equal(4, CellCount().Count(xml));
    }

    [GeneratedRegex("<x:c |<c ")]
    private static partial Regex CellCount();

    /// <summary>An HTTP response body: write-only, no seeking.</summary>
    private sealed class NonSeekableStream : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}
