using System.Text.Json;
using LPTracker.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Audit;

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.Property(r => r.ActorName).HasMaxLength(Limits.EmployeeName);
        builder.Property(r => r.ClientAddress).HasMaxLength(64);
        builder.Property(r => r.Subject).HasMaxLength(Limits.AuditSubject).IsRequired();

        // The changes are only ever read with their record: one JSON column instead of a child table.
        builder.Property(r => r.Changes).HasConversion(
            v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
            v => JsonSerializer.Deserialize<List<AuditChange>>(v, JsonSerializerOptions.Default) ?? new List<AuditChange>(),
            new ValueComparer<List<AuditChange>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));

        // The page lists newest first within an account, optionally for one employee; retention deletes by date.
        builder.HasIndex(r => new { r.AccountId, r.OccurredUtc });
        builder.HasIndex(r => new { r.AccountId, r.TargetEmployeeId, r.OccurredUtc });
        builder.HasIndex(r => r.OccurredUtc);
        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
