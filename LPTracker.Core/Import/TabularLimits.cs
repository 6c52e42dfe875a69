namespace LPTracker.Core.Import;

/// <summary>
/// What an uploaded table may hold. Enforced while the file streams in, so an oversized upload is refused after
/// <see cref="MaxBytes"/> bytes rather than after it has filled the disk or memory.
/// </summary>
/// <param name="MaxBytes">The largest file accepted (50 MB by default).</param>
/// <param name="MaxRows">The most data rows (the header not counted).</param>
/// <param name="MaxColumns">The most columns read from a row; cells further right make that row an error.</param>
public sealed record TabularLimits(long MaxBytes, int MaxRows, int MaxColumns)
{
    /// <summary>50 MB, 100,000 rows, 100 columns.</summary>
    public static readonly TabularLimits Default = new(50L * 1024 * 1024, 100_000, 100);
}
