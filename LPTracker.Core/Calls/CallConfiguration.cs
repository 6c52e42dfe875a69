using LPTracker.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Calls;

internal sealed class CallConfiguration : IEntityTypeConfiguration<Call>
{
    public void Configure(EntityTypeBuilder<Call> builder)
    {
        builder.ToTable("Calls");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ClientNumber).HasMaxLength(Limits.Phone);
        builder.Property(c => c.DialledNumber).HasMaxLength(Limits.Phone);
        builder.Ignore(c => c.IsMissed);

        // No foreign keys to projects or employees: the log outlives a deleted employee or project.
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Legs).WithOne().HasForeignKey(l => l.CallId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.AccountId, c.StartedUtc });

        // A contact card lists the calls with its phones, newest first.
        builder.HasIndex(c => new { c.AccountId, c.ClientNumber, c.StartedUtc });
    }
}

internal sealed class CallLegConfiguration : IEntityTypeConfiguration<CallLeg>
{
    public void Configure(EntityTypeBuilder<CallLeg> builder)
    {
        builder.ToTable("CallLegs");
        builder.Property(l => l.Id).ValueGeneratedNever();

        // "My calls": an employee without the Telephony section sees the calls that had a leg for them.
        builder.HasIndex(l => new { l.AccountId, l.EmployeeId });
    }
}
