using System.Text.RegularExpressions;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace LPTracker.Core.Employees;

/// <summary>Where employee photos are stored: <c>{DataFolder}/photos</c>.</summary>
public sealed class PhotoOptions
{
    public string Folder { get; set; } = "";
}

/// <summary>
/// Employee photos: a JPEG, PNG or WebP of up to 5 MB, checked by decoding (not by its name), re-encoded as a
/// 256×256 JPEG cropped from the centre and stored as <c>{guid}.jpg</c>. Dimensions are read from the header and
/// refused before any pixel is decoded, so a small file that would expand to gigabytes is never decoded.
/// </summary>
public sealed partial class PhotoService(IOptions<PhotoOptions> options, AccessService access, IStringLocalizer<PhotoService> l)
{
    public const long MaxBytes = 5 * 1024 * 1024;
    public const int MaxSide = 10_000;
    public const long MaxPixels = 40_000_000;
    public const int Size = 256;

    // Decoding a large PNG takes up to MaxPixels × 4 bytes; one at a time keeps the server's memory bounded.
    private static readonly SemaphoreSlim DecodeGate = new(1, 1);

    private string Folder => options.Value.Folder;

    /// <summary>Checks, normalises and stores an uploaded photo; returns the stored file name.</summary>
    public async Task<OperationResult<string>> UploadAsync(CallerContext caller, Stream content, CancellationToken ct = default)
    {
        if (await access.RequireAsync(caller, CommonSections.Employees, ct) is null)
        {
            return OperationResult<string>.Fail("", l["Access.Denied"]);
        }

        var bytes = await ReadLimitedAsync(content, ct);
        if (bytes is null)
        {
            return OperationResult<string>.Fail(nameof(EmployeeForm.PhotoFile), l["Photo.TooLarge", MaxBytes / 1024 / 1024]);
        }

        await DecodeGate.WaitAsync(ct);
        OperationResult<byte[]> jpeg;
        try
        {
            jpeg = Normalize(bytes);
        }
        finally
        {
            DecodeGate.Release();
        }

        if (!jpeg.Succeeded)
        {
            return OperationResult<string>.From(jpeg);
        }

        Directory.CreateDirectory(Folder);
        var name = $"{Guid.NewGuid():N}.jpg";
        var temp = Path.Combine(Folder, name + ".tmp");
        await File.WriteAllBytesAsync(temp, jpeg.Value!, ct);
        File.Move(temp, Path.Combine(Folder, name));
        return OperationResult<string>.Ok(name);
    }

    /// <summary>True when <paramref name="fileName"/> is a photo this service stored.</summary>
    public bool IsStored(string? fileName) =>
        fileName is not null && StoredName().IsMatch(fileName) && File.Exists(Path.Combine(Folder, fileName));

    /// <summary>The bytes of a stored photo (for the editor's preview before saving), or null.</summary>
    public byte[]? Read(string? fileName) => IsStored(fileName) ? File.ReadAllBytes(Path.Combine(Folder, fileName!)) : null;

    /// <summary>The stored photo files with their last write time (for the orphan sweep).</summary>
    public IEnumerable<(string Name, DateTime WrittenUtc)> ListStored() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder).Select(Path.GetFileName).OfType<string>().Where(n => StoredName().IsMatch(n))
                .Select(n => (n, File.GetLastWriteTimeUtc(Path.Combine(Folder, n))))
            : [];

    /// <summary>Removes a stored photo (after the employee no longer refers to it).</summary>
    public void Delete(string? fileName)
    {
        if (fileName is not null && StoredName().IsMatch(fileName))
        {
            File.Delete(Path.Combine(Folder, fileName));
        }
    }

    /// <summary>Decodes an image and returns it as a 256×256 JPEG, or the localised reason it was refused.</summary>
    internal OperationResult<byte[]> Normalize(byte[] bytes)
    {
        const string field = nameof(EmployeeForm.PhotoFile);
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            return OperationResult<byte[]>.Fail(field, l["Photo.NotImage"]);
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
        {
            return OperationResult<byte[]>.Fail(field, l["Photo.TooManyPixels", MaxSide]);
        }

        // JPEG and WebP decode straight to a smaller size; the short side stays at least Size pixels.
        var scaled = codec.GetScaledDimensions(Math.Min(1f, (float)Size / Math.Min(width, height)));
        if (Math.Min(scaled.Width, scaled.Height) < Size)
        {
            scaled = new SKSizeI(width, height);
        }

        var info = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        if (codec.GetPixels(info, decoded.GetPixels()) != SKCodecResult.Success)
        {
            return OperationResult<byte[]>.Fail(field, l["Photo.Damaged"]);
        }

        using var oriented = Orient(decoded, codec.EncodedOrigin);
        return OperationResult<byte[]>.Ok(CropToSquareJpeg(oriented ?? decoded));
    }

    private static byte[] CropToSquareJpeg(SKBitmap source)
    {
        var side = Math.Min(source.Width, source.Height);
        var crop = SKRect.Create((source.Width - side) / 2f, (source.Height - side) / 2f, side, side);
        using var surface = SKSurface.Create(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(source);
        surface.Canvas.DrawImage(image, crop, SKRect.Create(Size, Size), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        using var snapshot = surface.Snapshot();
        using var encoded = snapshot.Encode(SKEncodedImageFormat.Jpeg, 88);
        return encoded.ToArray();
    }

    /// <summary>Applies the EXIF orientation (phones store portraits sideways); null when none is needed.</summary>
    private static SKBitmap? Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return null;
        }

        var (w, h) = (source.Width, source.Height);
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (ow, oh) = swap ? (h, w) : (w, h);

        // x' = ScaleX·x + SkewX·y + TransX; y' = SkewY·x + ScaleY·y + TransY.
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, ow, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, ow, 0, -1, oh, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, oh, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, ow, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, ow, -1, 0, oh, 0, 0, 1),
            _ => new SKMatrix(0, 1, 0, -1, 0, oh, 0, 0, 1),
        };
        var result = new SKBitmap(new SKImageInfo(ow, oh, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(matrix);
        canvas.DrawBitmap(source, 0, 0);
        return result;
    }

    /// <summary>The stream's bytes, or null when it holds more than <see cref="MaxBytes"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [GeneratedRegex("^[0-9a-f]{32}\\.jpg$", RegexOptions.CultureInvariant)]
    private static partial Regex StoredName();
}
