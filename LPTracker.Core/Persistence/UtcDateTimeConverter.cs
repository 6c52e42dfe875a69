using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LPTracker.Core.Persistence;

/// <summary>Marks stored DateTimes as UTC both ways (they are UTC by convention; PostgreSQL's timestamptz insists).</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
