using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LPTracker.Core.Cluster;

/// <summary>
/// One console node of a cluster (several nodes on one PostgreSQL): its SIP address for the other nodes and its
/// heartbeat. A node whose heartbeat stopped is removed by the others together with its SIP bindings.
/// </summary>
public sealed class ClusterNode
{
    /// <summary>The node's id (<c>Node:Id</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary>Where the other nodes send it the calls of its phones: <c>host:port</c> of its UDP listener.</summary>
    public string SipAddress { get; set; } = "";

    /// <summary>When the node last started.</summary>
    public DateTime StartedUtc { get; set; }

    /// <summary>The node's last heartbeat (UTC).</summary>
    public DateTime LastSeenUtc { get; set; }
}

internal sealed class ClusterNodeConfiguration : IEntityTypeConfiguration<ClusterNode>
{
    public void Configure(EntityTypeBuilder<ClusterNode> builder)
    {
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasMaxLength(Limits.NodeId);
        builder.Property(n => n.SipAddress).HasMaxLength(Limits.SipText).IsRequired();
    }
}
