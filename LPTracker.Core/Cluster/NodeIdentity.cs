using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace LPTracker.Core.Cluster;

/// <summary>
/// This console node among its peers: <c>Node:Id</c>, else the host name and a suffix derived from the data folder and
/// the SIP listeners, so the id survives a restart (the node finds its own SIP bindings again) and two nodes on one
/// host differ. <see cref="Clustered"/> when several nodes share the database (<c>Redis:Configuration</c> set).
/// </summary>
/// <param name="Id">The node's id, kept on every SIP binding it holds.</param>
public sealed record NodeIdentity(string Id)
{
    /// <summary>True with several nodes: bindings are loaded per node, heartbeats run, presence and calls cross nodes.</summary>
    public bool Clustered { get; init; }

    /// <summary>Reads the id and the cluster switch.</summary>
    public static NodeIdentity From(IConfiguration configuration)
    {
        var clustered = !string.IsNullOrWhiteSpace(configuration["Redis:Configuration"]);
        if (configuration["Node:Id"] is { Length: > 0 } id)
        {
            return new NodeIdentity(id.Trim()) { Clustered = clustered };
        }

        var folder = Path.GetFullPath(configuration["DataFolder"] ?? "App_Data");
        var listen = string.Join(',', configuration.GetSection("Sip:Listen").GetChildren().Select(c => c.Value));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(folder + "|" + listen));
        var name = Environment.MachineName;
        name = name.Length > 60 ? name[..60] : name;
        return new NodeIdentity($"{name}-{Convert.ToHexStringLower(hash)[..8]}") { Clustered = clustered };
    }
}
