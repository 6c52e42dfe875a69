using System.Text.Json;
using LPTracker.Core.Employees;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Notifications;

internal sealed class AdminNotificationConfiguration : IEntityTypeConfiguration<AdminNotification>
{
    public void Configure(EntityTypeBuilder<AdminNotification> builder)
    {
        builder.ToTable("Notifications");
        builder.Property(n => n.Kind).HasMaxLength(40).IsRequired();
        builder.Property(n => n.SubjectKey).HasMaxLength(120).IsRequired();
        builder.Property(n => n.Args).HasMaxLength(2000).HasConversion(
            v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
            v => JsonSerializer.Deserialize<List<string>>(v, JsonSerializerOptions.Default) ?? new List<string>(),
            new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));

        // The bell: a recipient's unread count and newest first; dedupe finds the unread row of a subject; retention by date.
        builder.HasIndex(n => new { n.RecipientEmployeeId, n.ReadUtc });
        builder.HasIndex(n => new { n.RecipientEmployeeId, n.LastUtc });
        builder.HasIndex(n => new { n.AccountId, n.Kind, n.SubjectKey });
        builder.HasIndex(n => n.LastUtc);
        builder.HasOne<Employee>().WithMany().HasForeignKey(n => n.RecipientEmployeeId).OnDelete(DeleteBehavior.Cascade);
    }
}
