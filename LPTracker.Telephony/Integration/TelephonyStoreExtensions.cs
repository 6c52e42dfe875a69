using LPTracker.Core.Cluster;
using LPTracker.Telephony.Cluster;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Telephony.Integration;

/// <summary>Connects the registrar to the console: users and bindings from the database, presence into the UI.</summary>
public static class TelephonyStoreExtensions
{
    /// <summary>Call before <see cref="TelephonyExtensions.AddTelephony"/> so these replace its in-memory defaults.</summary>
    public static IHostApplicationBuilder AddTelephonyStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var node = NodeIdentity.From(builder.Configuration);
        services.TryAddSingleton(node);
        services.TryAddSingleton<NodeExchange<NodePresence>>();
        services.TryAddSingleton<NodeExchange<SipAccountChange>>();
        services.TryAddSingleton<NodeExchange<SipBanMessage>>();
        services.AddSingleton<RemotePresence>();
        services.AddSingleton<SipCredentialMap>();
        services.AddSingleton<ISipUserDirectory>(sp => sp.GetRequiredService<SipCredentialMap>());
        services.AddSingleton<DbBindingPersistence>();
        services.AddSingleton<IBindingPersistence>(sp => sp.GetRequiredService<DbBindingPersistence>());
        services.AddSingleton<PresenceBridge>();
        services.AddSingleton<BanBridge>();
        services.AddSingleton(sp => new SipBanRegistry(sp.GetRequiredService<SipServer>().Bans, sp.GetRequiredService<NodeIdentity>(),
            sp.GetRequiredService<NodeExchange<SipBanMessage>>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SipBanRegistry>>()));
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Core.Telephony.Bans.ISipBanRegistry>(sp => sp.GetRequiredService<SipBanRegistry>()));
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Core.Telephony.ISipPresenceSource>(sp => sp.GetRequiredService<PresenceBridge>()));
        services.AddSingleton<SipAccountEventsBridge>();
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Core.Telephony.ISipAccountEvents>(sp => sp.GetRequiredService<SipAccountEventsBridge>()));
        services.AddHostedService<PresenceBridgeStarter>();
        if (node.Clustered)
        {
            services.AddSingleton(ClusterSettings.From(builder.Configuration));
            services.AddHostedService<NodeHeartbeat>();
            services.AddSingleton<NodeLegSigner>();
            services.AddSingleton<DbRemoteBindings>();
            services.AddSingleton(sp => new ClusterCalls(sp.GetRequiredService<DbRemoteBindings>(), sp.GetRequiredService<NodeLegSigner>()));
        }

        services.TryAddSingleton<LPTracker.Core.Calls.RingPlanQuery>();
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Telephony.Calls.ICallDirectory, DbCallDirectory>());
        return builder;
    }

    /// <summary>
    /// Created at start-up so no presence change happens before the bridge listens. Registered before the SIP
    /// server's hosted service, so it stops after it: the last bindings are written once no REGISTER can arrive.
    /// </summary>
    private sealed class PresenceBridgeStarter(PresenceBridge bridge, BanBridge bans, DbBindingPersistence bindings,
        SipAccountEventsBridge sipAccounts, SipBanRegistry banRegistry) : IHostedLifecycleService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            // Created now, so they listen from the start (to the registrar, and to the other nodes' credential changes and bans).
            GC.KeepAlive(bridge);
            GC.KeepAlive(bans);
            GC.KeepAlive(sipAccounts);
            GC.KeepAlive(banRegistry);
            return Task.CompletedTask;
        }

        /// <summary>Every hosted service has started, so the scale-out relay carries messages: learn the bans in force.</summary>
        public Task StartedAsync(CancellationToken cancellationToken)
        {
            banRegistry.AskOthers();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => bindings.FlushAsync(cancellationToken);

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
