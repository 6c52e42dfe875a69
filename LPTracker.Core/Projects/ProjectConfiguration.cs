using LPTracker.Core.Accounts;
using LPTracker.Core.Numbers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Projects;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(Limits.ProjectName).IsRequired();
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<VirtualNumber>().WithMany().HasForeignKey(p => p.SingleNumberId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(p => new { p.AccountId, p.Name });
    }
}
