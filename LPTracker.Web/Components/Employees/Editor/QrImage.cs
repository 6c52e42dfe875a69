using QRCoder;

namespace LPTracker.Web.Components.Employees.Editor;

/// <summary>QR codes as PNG data URIs for an <c>img</c> (no markup is built from the encoded text).</summary>
public static class QrImage
{
    /// <summary>The QR code of <paramref name="text"/>; error correction M survives a screen photographed at an angle.</summary>
    public static string DataUri(string text, int pixelsPerModule = 6)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(pixelsPerModule);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
