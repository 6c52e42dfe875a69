namespace LPTracker.Web.ScaleOut;

/// <summary>This console node's name among its peers (<c>Node:Id</c>, else the host name and a random suffix).</summary>
public sealed record NodeIdentity(string Id)
{
    public static NodeIdentity From(IConfiguration configuration) =>
        new(configuration["Node:Id"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid():N}"[..^24]);
}
