using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Accounts;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.HasIndex(a => a.Number).IsUnique();
        builder.Property(a => a.CompanyName).HasMaxLength(Limits.CompanyName).IsRequired();
    }
}
