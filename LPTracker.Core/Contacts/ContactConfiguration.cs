using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Contacts;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(Limits.ContactName).IsRequired();
        builder.Property(c => c.Company).HasMaxLength(Limits.ContactCompany);
        builder.Property(c => c.Comment).HasMaxLength(Limits.Comment);
        builder.Property(c => c.SearchText).HasMaxLength(Limits.ContactSearchText);
        builder.Property(c => c.SortName).HasMaxLength(Limits.ContactName);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Employee>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(c => c.Phones).WithOne().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Emails).WithOne().HasForeignKey(e => e.ContactId).OnDelete(DeleteBehavior.Cascade);
        // The list sorts a project's contacts by name.
        builder.HasIndex(c => new { c.ProjectId, c.SortName });
    }
}

internal sealed class ContactPhoneConfiguration : IEntityTypeConfiguration<ContactPhone>
{
    public void Configure(EntityTypeBuilder<ContactPhone> builder)
    {
        builder.Property(p => p.E164).HasMaxLength(Limits.Phone).IsRequired();
        builder.Property(p => p.Tail).HasMaxLength(10).IsRequired();
        // One number, one contact per project: an incoming call must open exactly one card.
        builder.HasIndex(p => new { p.ProjectId, p.E164 }).IsUnique();
        // The pop-up looks numbers up across the account's projects, exactly and by the last ten digits.
        builder.HasIndex(p => new { p.AccountId, p.E164 });
        builder.HasIndex(p => new { p.AccountId, p.Tail });
    }
}

internal sealed class ContactEmailConfiguration : IEntityTypeConfiguration<ContactEmail>
{
    public void Configure(EntityTypeBuilder<ContactEmail> builder)
    {
        builder.Property(e => e.Address).HasMaxLength(Limits.Email).IsRequired();
        builder.HasIndex(e => new { e.AccountId, e.Address });
    }
}
