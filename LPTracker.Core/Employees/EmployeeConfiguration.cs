using LPTracker.Core.Accounts;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Employees;

internal sealed class EmployeeConfiguration : IEntityTypeConfiguration<Employee>
{
    public void Configure(EntityTypeBuilder<Employee> builder)
    {
        builder.Property(e => e.Name).HasMaxLength(Limits.EmployeeName).IsRequired();
        builder.Property(e => e.Login).HasMaxLength(Limits.Login).IsRequired();
        builder.Property(e => e.NormalizedLogin).HasMaxLength(Limits.Login).IsRequired();
        builder.Property(e => e.PasswordHash).HasMaxLength(200).IsRequired();
        builder.Property(e => e.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Phone).HasMaxLength(Limits.Phone);
        builder.Property(e => e.SimNumber).HasMaxLength(Limits.Phone);
        builder.Property(e => e.Email).HasMaxLength(Limits.Email);
        builder.Property(e => e.Position).HasMaxLength(Limits.Position);
        builder.Property(e => e.PhotoFile).HasMaxLength(Limits.PhotoFile);
        builder.Property(e => e.SearchText).HasMaxLength(600);
        builder.Property(e => e.SortName).HasMaxLength(Limits.EmployeeName);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasIndex(e => e.NormalizedLogin).IsUnique();
        // The list sorts within an account by each of its sortable columns.
        builder.HasIndex(e => new { e.AccountId, e.SortName });
        builder.HasIndex(e => new { e.AccountId, e.NormalizedLogin });
        builder.HasIndex(e => new { e.AccountId, e.Position });
        builder.HasIndex(e => new { e.AccountId, e.LastLoginUtc });
        // The list's Project view and counters look employees up by id within an account (Id IN (…)): with only the
        // indexes above SQLite reads all of the account's employees and tests each against the id list.
        builder.HasIndex(e => new { e.AccountId, e.Id });
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<VirtualNumber>().WithMany().HasForeignKey(e => e.DisplayedNumberId)
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.CurrentProjectId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(e => e.Memberships).WithOne().HasForeignKey(m => m.EmployeeId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectMembershipConfiguration : IEntityTypeConfiguration<ProjectMembership>
{
    public void Configure(EntityTypeBuilder<ProjectMembership> builder)
    {
        builder.HasKey(m => new { m.EmployeeId, m.ProjectId });
        builder.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.ProjectId, m.HasAccess });
        builder.HasIndex(m => new { m.ProjectId, m.TakesCalls });
    }
}
