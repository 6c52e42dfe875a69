using LPTracker.Core.Employees;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.RegistrationHistory;

internal sealed class RegistrationEntryConfiguration : IEntityTypeConfiguration<RegistrationEntry>
{
    public void Configure(EntityTypeBuilder<RegistrationEntry> builder)
    {
        builder.ToTable("RegistrationHistory");
        builder.Property(r => r.Device).HasMaxLength(Limits.RegistrationDevice);
        builder.Property(r => r.Address).HasMaxLength(64);
        builder.Property(r => r.Transport).HasMaxLength(8);

        // The editor reads one employee's period; retention deletes by date. The employee's rows go with it.
        builder.HasIndex(r => new { r.AccountId, r.EmployeeId, r.AtUtc });
        builder.HasIndex(r => r.AtUtc);
        builder.HasOne<Employee>().WithMany().HasForeignKey(r => r.EmployeeId).OnDelete(DeleteBehavior.Cascade);
    }
}
