using LPTracker.Core.Employees;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Accounts;

/// <summary>What a one-time link lets its holder do.</summary>
public enum TokenPurpose
{
    /// <summary>Set one's own password after being invited (72 h).</summary>
    Invitation = 1,

    /// <summary>Set a new password after "Forgot password" (1 h).</summary>
    PasswordReset = 2,

    /// <summary>Download one's softphone configuration (24 h or first use).</summary>
    Provisioning = 3,
}

/// <summary>
/// A single-use, expiring link for one employee. Only the SHA-256 of the token is stored: a copy of the database
/// does not give working links.
/// </summary>
public sealed class AccountToken
{
    public long Id { get; set; }

    public int AccountId { get; set; }

    public int EmployeeId { get; set; }

    public TokenPurpose Purpose { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string Hash { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public DateTime ExpiresUtc { get; set; }

    /// <summary>Set when the link was used or revoked; a used link never works again.</summary>
    public DateTime? UsedUtc { get; set; }

    /// <summary>Set when the e-mail carrying the link was refused for good (an SMTP 5xx): the invitation bounced.</summary>
    public DateTime? BouncedUtc { get; set; }

    /// <summary>The server's reason for the bounce (its 5xx reply text), shown to the administrator.</summary>
    public string? BounceReason { get; set; }
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> builder)
    {
        builder.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        builder.Property(t => t.BounceReason).HasMaxLength(Limits.BounceReason);
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasIndex(t => new { t.EmployeeId, t.Purpose });
        builder.HasOne<Employee>().WithMany().HasForeignKey(t => t.EmployeeId).OnDelete(DeleteBehavior.Cascade);
    }
}
