using LPTracker.Core.Accounts;
using LPTracker.Core.Contacts;
using LPTracker.Core.Employees;
using LPTracker.Core.Projects;
using LPTracker.Core.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Leads;

internal sealed class FunnelStageConfiguration : IEntityTypeConfiguration<FunnelStage>
{
    public void Configure(EntityTypeBuilder<FunnelStage> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(Limits.StageName).IsRequired();
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // One stage per position: two first requests racing to create the default funnel cannot both succeed
        // (FunnelStages.EnsureAsync re-reads the winner's stages).
        builder.HasIndex(s => new { s.ProjectId, s.Order }).IsUnique();
    }
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.Property(l => l.Title).HasMaxLength(Limits.LeadTitle).IsRequired();
        builder.Property(l => l.Source).HasMaxLength(Limits.LeadSource);
        builder.Property(l => l.SearchText).HasMaxLength(Limits.LeadTitle + Limits.LeadSource + 1);
        builder.Property(l => l.Version).IsConcurrencyToken();
        builder.HasOne<Account>().WithMany().HasForeignKey(l => l.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(l => l.ContactId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(l => l.Stage).WithMany().HasForeignKey(l => l.StageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Employee>().WithMany().HasForeignKey(l => l.OwnerId).OnDelete(DeleteBehavior.SetNull);
        // The lists (LeadQueries, LeadListPager). The page is read in step-date order with stage and owner tested in
        // the index, so page 1 of 100,000 leads stops after 25 rows; the totals, the overdue gate and mine / pool are
        // counted from the second index alone. AccountId, which the tenant filter asks of every query, is their last
        // column: present, so no row is fetched from the table to test it, but not first, because SQLite (without
        // statistics) takes any index that starts with an equality for a narrow one and would read a whole account
        // through it for queries that have a better one (leads by id, by contact).
        builder.HasIndex(l => new { l.ProjectId, l.IsDeleted, l.StepDateUtc, l.StageId, l.OwnerId, l.AccountId })
            .HasDatabaseName("IX_Leads_ListOrder");
        builder.HasIndex(l => new { l.ProjectId, l.IsDeleted, l.StageId, l.OwnerId, l.StepDateUtc, l.AccountId })
            .HasDatabaseName("IX_Leads_ListCounts");
        builder.HasIndex(l => l.ContactId);
    }
}

internal sealed class LeadChangeConfiguration : IEntityTypeConfiguration<LeadChange>
{
    public void Configure(EntityTypeBuilder<LeadChange> builder)
    {
        builder.Property(c => c.OldValue).HasMaxLength(Limits.LeadTitle);
        builder.Property(c => c.NewValue).HasMaxLength(Limits.LeadTitle);
        builder.Property(c => c.Reason).HasMaxLength(Limits.Comment);
        builder.HasOne(c => c.Lead).WithMany().HasForeignKey(c => c.LeadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Employee>().WithMany().HasForeignKey(c => c.EmployeeId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(c => new { c.LeadId, c.AtUtc });
        // Analytics counts step-date moves per employee in a period.
        builder.HasIndex(c => new { c.AccountId, c.Field, c.AtUtc });
    }
}

internal sealed class CrmTaskConfiguration : IEntityTypeConfiguration<CrmTask>
{
    public void Configure(EntityTypeBuilder<CrmTask> builder)
    {
        builder.Property(t => t.Title).HasMaxLength(Limits.LeadTitle).IsRequired();
        builder.Property(t => t.Result).HasMaxLength(Limits.Comment);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Lead>().WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Employee>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Employee>().WithMany().HasForeignKey(t => t.AuthorId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(t => new { t.ProjectId, t.IsDone, t.AssigneeId, t.DueUtc });
        builder.HasIndex(t => t.LeadId);
        builder.HasIndex(t => t.ContactId);
    }
}
