using System.Globalization;

namespace LPTracker.Core.Permissions;

/// <summary>The single flags set in a rights value (for messages that name each right).</summary>
internal static class Flags
{
    public static IEnumerable<T> Of<T>(T value) where T : struct, Enum =>
        Enum.GetValues<T>().Where(f => IsSingleFlag(Convert.ToInt32(f, CultureInfo.InvariantCulture)) && value.HasFlag(f));

    private static bool IsSingleFlag(int v) => v != 0 && (v & (v - 1)) == 0;
}
