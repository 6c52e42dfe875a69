using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Telephony;

internal sealed class SipAccountConfiguration : IEntityTypeConfiguration<SipAccount>
{
    public void Configure(EntityTypeBuilder<SipAccount> builder)
    {
        builder.HasKey(s => s.EmployeeId);
        builder.Property(s => s.UserName).HasMaxLength(Limits.SipUserName).IsRequired();
        builder.Property(s => s.Ha1Md5).HasMaxLength(32).IsRequired();
        builder.Property(s => s.Ha1Sha256).HasMaxLength(64).IsRequired();
        builder.Property(s => s.ProtectedPassword).HasMaxLength(Limits.SipText).IsRequired();
        builder.Property(s => s.Realm).HasMaxLength(Limits.SipText).IsRequired();
        builder.HasIndex(s => s.UserName).IsUnique();
        builder.HasOne<Employee>().WithOne().HasForeignKey<SipAccount>(s => s.EmployeeId)
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SipBindingConfiguration : IEntityTypeConfiguration<SipBinding>
{
    public void Configure(EntityTypeBuilder<SipBinding> builder)
    {
        builder.Property(b => b.UserName).HasMaxLength(Limits.SipUserName).IsRequired();
        builder.Property(b => b.ContactUri).HasMaxLength(Limits.SipText).IsRequired();
        builder.Property(b => b.CallId).HasMaxLength(Limits.SipText).IsRequired();
        builder.Property(b => b.UserAgent).HasMaxLength(Limits.SipText);
        builder.Property(b => b.RemoteEndPoint).HasMaxLength(100).IsRequired();
        builder.Property(b => b.InstanceId).HasMaxLength(Limits.SipText);
        builder.Property(b => b.NodeId).HasMaxLength(Limits.NodeId);
        builder.HasIndex(b => b.UserName);
        builder.HasIndex(b => b.NodeId);
        builder.HasOne<Employee>().WithMany().HasForeignKey(b => b.EmployeeId).OnDelete(DeleteBehavior.Cascade);
    }
}
