using System.Globalization;
using System.Text;
using LPTracker.Core.Employees;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using SkiaSharp;

namespace LPTracker.Tests.Core.Employees;

public sealed class EditorPhotoTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;

    public EditorPhotoTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _owner = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private PhotoService Photos => _host.Get<PhotoService>();

    public static TheoryData<string, byte[]> Accepted() => new()
    {
        { "jpeg", EditorImages.Jpeg(800, 600) },
        { "png", EditorImages.Png(300, 900) },
        { "webp", EditorImages.Webp(640, 480) },
        { "small png", EditorImages.Png(40, 30) },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task A_jpeg_png_or_webp_is_stored_as_a_256_pixel_square_jpeg(string kind, byte[] image)
    {
        var result = await Photos.UploadAsync(_owner, new MemoryStream(image));

        Assert.True(result.Succeeded, $"{kind}: {result.Summary}");
        Assert.Matches("^[0-9a-f]{32}\\.jpg$", result.Value);
        var stored = await File.ReadAllBytesAsync(Path.Combine(_host.DataFolder, "photos", result.Value!));
        Assert.Equal((256, 256, SKEncodedImageFormat.Jpeg), EditorImages.Describe(stored));
    }

    [Fact]
    public async Task The_square_is_cut_from_the_centre()
    {
        var result = await Photos.UploadAsync(_owner, new MemoryStream(EditorImages.Stripes(900, 300)));

        var stored = await File.ReadAllBytesAsync(Path.Combine(_host.DataFolder, "photos", result.Value!));
        var left = EditorImages.PixelAt(stored, 4, 128);
        var right = EditorImages.PixelAt(stored, 251, 128);
        Assert.True(left.Green > 200 && left.Red < 60 && left.Blue < 60, $"left edge is {left}");
        Assert.True(right.Green > 200 && right.Red < 60 && right.Blue < 60, $"right edge is {right}");
    }

    public static TheoryData<string, byte[], string> Refused() => new()
    {
        { "text file named .png", Encoding.UTF8.GetBytes("это не картинка, а текст"), "Это не изображение JPEG, PNG или WebP." },
        { "empty file", [], "Это не изображение JPEG, PNG или WebP." },
        { "gif", EditorImages.Gif(), "Это не изображение JPEG, PNG или WebP." },
        { "20000×20000 decompression bomb", EditorImages.PngHeaderClaiming(20_000, 20_000), "Изображение слишком большое" },
        { "very wide strip", EditorImages.PngHeaderClaiming(12_000, 10), "Изображение слишком большое" },
        { "truncated jpeg", EditorImages.FirstHalf(EditorImages.Jpeg(800, 600)), "Изображение повреждено" },
        { "png with a broken body", EditorImages.PngHeaderClaiming(300, 300), "Изображение повреждено" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_file_that_is_not_an_acceptable_image_is_refused_with_a_reason(string kind, byte[] content, string reason)
    {
        var result = await Photos.UploadAsync(_owner, new MemoryStream(content));

        Assert.False(result.Succeeded, kind);
        Assert.StartsWith(reason, result.ErrorFor(nameof(EmployeeForm.PhotoFile)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_host.DataFolder, "photos")) && Directory.EnumerateFiles(Path.Combine(_host.DataFolder, "photos")).Any());
    }

    [Fact]
    public async Task A_file_over_5_mb_is_refused_without_reading_it_all()
    {
        var stream = new CountingStream(50L * 1024 * 1024);

        var result = await Photos.UploadAsync(_owner, stream);

        Assert.Equal("Файл больше 5 МБ. Выберите фото поменьше.", result.ErrorFor(nameof(EmployeeForm.PhotoFile)));
        Assert.True(stream.Position <= PhotoService.MaxBytes + 81920, $"read {stream.Position} bytes");
    }

    [Fact]
    public async Task The_reason_is_given_in_english_for_an_english_ui()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("en-US");

        var result = await Photos.UploadAsync(_owner, new MemoryStream(Encoding.UTF8.GetBytes("text")));

        Assert.Equal("This is not a JPEG, PNG or WebP image.", result.ErrorFor(nameof(EmployeeForm.PhotoFile)));
    }

    [Fact]
    public async Task An_employee_without_the_employees_section_cannot_upload()
    {
        var plain = await _host.AddEmployeeAsync(_owner, "plain");

        var result = await Photos.UploadAsync(plain, new MemoryStream(EditorImages.Jpeg(300, 300)));

        Assert.False(result.Succeeded);
    }

    /// <summary>A stream of zeros of a given length that counts what was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            Array.Clear(buffer, offset, n);
            Position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
