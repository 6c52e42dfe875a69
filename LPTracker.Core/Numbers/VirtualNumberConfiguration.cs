using LPTracker.Core.Accounts;
using LPTracker.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Numbers;

internal sealed class VirtualNumberConfiguration : IEntityTypeConfiguration<VirtualNumber>
{
    public void Configure(EntityTypeBuilder<VirtualNumber> builder)
    {
        builder.Property(n => n.E164).HasMaxLength(Limits.Phone).IsRequired();
        builder.HasIndex(n => new { n.AccountId, n.E164 }).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(n => n.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany().HasForeignKey(n => n.ProjectId).OnDelete(DeleteBehavior.SetNull);
    }
}
