using System.Runtime.CompilerServices;
using LPTracker.Core.Cluster;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace LPTracker.Web.ScaleOut;

/// <summary>
/// Several console nodes behind one domain (<c>Redis:Configuration</c>; empty = one node, everything in-process):
/// live events relayed between nodes, the SignalR backplane for <c>/hubs/telephony</c>, and one Data Protection
/// key ring (sign-in cookies and protected SIP passwords readable on every node).
/// </summary>
public static class ScaleOutExtensions
{
    /// <summary>The Redis key holding the shared Data Protection key ring.</summary>
    public const string KeyRingKey = "lpt:dataprotection:keys";

    /// <summary>Call after <c>AddWeb</c>: the shared key ring replaces the data folder's.</summary>
    public static IHostApplicationBuilder AddScaleOut(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(NodeIdentity.From(builder.Configuration));
        services.TryAddSingleton<NodeExchange<NodePresence>>();
        services.TryAddSingleton<NodeExchange<SipAccountChange>>();
        services.TryAddSingleton<NodeExchange<SipBanMessage>>();
        var configuration = builder.Configuration["Redis:Configuration"];
        if (!string.IsNullOrWhiteSpace(configuration))
        {
            AddRedis(services, configuration);
        }

        return builder;
    }

    // Apart from AddScaleOut so that one node never loads StackExchange.Redis and its two ASP.NET Core adapters: the JIT
    // loads every assembly a method's code names when it compiles the method, taken branch or not (decision 0097).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddRedis(IServiceCollection services, string configuration)
    {
        var redis = new RedisConnection(configuration);
        services.AddSingleton(_ => redis);
        services.AddDataProtection().PersistKeysToStackExchangeRedis(() => redis.Database, KeyRingKey);
        services.AddSignalR().AddStackExchangeRedis(o =>
        {
            o.Configuration = ConfigurationOptions.Parse(configuration);
            o.Configuration.AbortOnConnectFail = false;
            o.Configuration.ChannelPrefix = RedisChannel.Literal("lpt:signalr");
        });
        services.AddHostedService<RedisLiveRelay>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
    }
}
