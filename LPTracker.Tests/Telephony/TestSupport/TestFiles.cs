using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LPTracker.Tests.Telephony.TestSupport;

/// <summary>Finds test data in the source tree (the test project copies nothing to its output).</summary>
internal static partial class TestFiles
{
    /// <summary>The LPTracker.Tests source directory.</summary>
    public static string TestsRoot { get; } = FindTestsRoot();

    /// <summary>A path under LPTracker.Tests.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([TestsRoot, .. parts]);

    /// <summary>
    /// Loads an RFC 4475 message written in the RFC's notation: LF line ends become CRLF and
    /// <c>&lt;hex&gt;..&lt;/hex&gt;</c> become the bytes they spell.
    /// </summary>
    public static byte[] Torture(string name)
    {
        var text = File.ReadAllText(Path("Telephony", "Sip", "Parsing", "Rfc4475", name + ".sip")).Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("\n", "\r\n", StringComparison.Ordinal);
        var output = new List<byte>(text.Length);
        var last = 0;
        foreach (Match m in HexBlock().Matches(text))
        {
            output.AddRange(Encoding.UTF8.GetBytes(text[last..m.Index]));
            var hex = m.Groups[1].Value;
            for (var i = 0; i < hex.Length; i += 2)
            {
                output.Add(byte.Parse(hex.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }

            last = m.Index + m.Length;
        }

        output.AddRange(Encoding.UTF8.GetBytes(text[last..]));
        return [.. output];
    }

    private static string FindTestsRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "LPTracker.Tests.csproj")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LPTracker.Tests source directory not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<hex>([0-9A-Fa-f]*)</hex>")]
    private static partial Regex HexBlock();
}
