using LPTracker.Core.Accounts;
using LPTracker.Core.Audit;
using LPTracker.Core.Contacts;
using LPTracker.Core.Calls;
using LPTracker.Core.Cluster;
using LPTracker.Core.Employees;
using LPTracker.Core.Leads;
using LPTracker.Core.Notifications;
using LPTracker.Core.Numbers;
using LPTracker.Core.Projects;
using LPTracker.Core.RegistrationHistory;
using LPTracker.Core.Tasks;
using LPTracker.Core.Telephony;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Core.Persistence;

/// <summary>
/// The database. Every tenant-owned set is filtered by <see cref="TenantAccountId"/>; a context whose tenant was
/// never set sees no tenant rows at all (fail closed). System work (sign-in, the registrar) opts out explicitly
/// with <c>IgnoreQueryFilters()</c>.
/// </summary>
public sealed class LptrackerDbContext(DbContextOptions<LptrackerDbContext> options) : DbContext(options)
{
    /// <summary>The account whose data this context may see.</summary>
    public int? TenantAccountId { get; set; }

    /// <summary>Set by an import: its rows are audited as one record with counts, not one record per contact or lead.</summary>
    internal bool AuditCrmRowsOff { get; set; }

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<Employee> Employees => Set<Employee>();

    public DbSet<ProjectMembership> Memberships => Set<ProjectMembership>();

    public DbSet<VirtualNumber> Numbers => Set<VirtualNumber>();

    public DbSet<SipAccount> SipAccounts => Set<SipAccount>();

    public DbSet<SipBinding> SipBindings => Set<SipBinding>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<Call> Calls => Set<Call>();

    public DbSet<CallLeg> CallLegs => Set<CallLeg>();

    public DbSet<FunnelStage> Stages => Set<FunnelStage>();

    public DbSet<Lead> Leads => Set<Lead>();

    public DbSet<LeadChange> LeadChanges => Set<LeadChange>();

    public DbSet<CrmTask> Tasks => Set<CrmTask>();

    public DbSet<RegistrationEntry> RegistrationEntries => Set<RegistrationEntry>();

    public DbSet<AdminNotification> Notifications => Set<AdminNotification>();

    /// <summary>The console nodes of a cluster and their heartbeats (system-wide, no tenant).</summary>
    public DbSet<ClusterNode> ClusterNodes => Set<ClusterNode>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime the app stores is UTC (SQLite cannot sort DateTimeOffset). Npgsql writes timestamptz only
        // from Kind=Utc values, and SQLite hands back Kind=Unspecified ones: state the kind on the way in and out.
        if (this.IsPostgres())
        {
            configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LptrackerDbContext).Assembly);
        modelBuilder.Entity<Account>().HasQueryFilter(a => a.Id == TenantAccountId);
        modelBuilder.Entity<Project>().HasQueryFilter(p => p.AccountId == TenantAccountId);
        modelBuilder.Entity<Employee>().HasQueryFilter(e => e.AccountId == TenantAccountId);
        modelBuilder.Entity<ProjectMembership>().HasQueryFilter(m => m.AccountId == TenantAccountId);
        modelBuilder.Entity<VirtualNumber>().HasQueryFilter(n => n.AccountId == TenantAccountId);
        modelBuilder.Entity<SipAccount>().HasQueryFilter(s => s.AccountId == TenantAccountId);
        modelBuilder.Entity<SipBinding>().HasQueryFilter(b => b.AccountId == TenantAccountId);
        modelBuilder.Entity<AuditRecord>().HasQueryFilter(r => r.AccountId == TenantAccountId);
        modelBuilder.Entity<AccountToken>().HasQueryFilter(t => t.AccountId == TenantAccountId);
        modelBuilder.Entity<Contact>().HasQueryFilter(c => c.AccountId == TenantAccountId);
        modelBuilder.Entity<ContactPhone>().HasQueryFilter(p => p.AccountId == TenantAccountId);
        modelBuilder.Entity<ContactEmail>().HasQueryFilter(e => e.AccountId == TenantAccountId);
        modelBuilder.Entity<Call>().HasQueryFilter(c => c.AccountId == TenantAccountId);
        modelBuilder.Entity<CallLeg>().HasQueryFilter(l => l.AccountId == TenantAccountId);
        modelBuilder.Entity<FunnelStage>().HasQueryFilter(s => s.AccountId == TenantAccountId);
        modelBuilder.Entity<Lead>().HasQueryFilter(l => l.AccountId == TenantAccountId);
        modelBuilder.Entity<LeadChange>().HasQueryFilter(c => c.AccountId == TenantAccountId);
        modelBuilder.Entity<CrmTask>().HasQueryFilter(t => t.AccountId == TenantAccountId);
        modelBuilder.Entity<RegistrationEntry>().HasQueryFilter(r => r.AccountId == TenantAccountId);
        modelBuilder.Entity<AdminNotification>().HasQueryFilter(n => n.AccountId == TenantAccountId);
    }

    public override Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        GuardTenant();
        return base.SaveChangesAsync(cancellationToken);
    }

    public override int SaveChanges()
    {
        GuardTenant();
        return base.SaveChanges();
    }

    /// <summary>Refuses to write a row of another tenant through a tenant-scoped context.</summary>
    private void GuardTenant()
    {
        if (TenantAccountId is not { } tenant)
        {
            return;
        }

        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var owner = entry.Entity switch
            {
                Account a => a.Id,
                Project p => p.AccountId,
                Employee e => e.AccountId,
                ProjectMembership m => m.AccountId,
                VirtualNumber n => n.AccountId,
                SipAccount s => s.AccountId,
                SipBinding b => b.AccountId,
                AuditRecord r => r.AccountId,
                AccountToken t => t.AccountId,
                Contact c => c.AccountId,
                ContactPhone p => p.AccountId,
                ContactEmail m => m.AccountId,
                Call c => c.AccountId,
                CallLeg l => l.AccountId,
                FunnelStage s => s.AccountId,
                Lead d => d.AccountId,
                LeadChange h => h.AccountId,
                CrmTask t => t.AccountId,
                _ => tenant,
            };
            if (owner != tenant)
            {
                throw new InvalidOperationException("A tenant-scoped context tried to write another account's row.");
            }
        }
    }
}
