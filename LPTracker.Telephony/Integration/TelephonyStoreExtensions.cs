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
        services.AddSingleton<SipCredentialMap>();
        services.AddSingleton<ISipUserDirectory>(sp => sp.GetRequiredService<SipCredentialMap>());
        services.AddSingleton<DbBindingPersistence>();
        services.AddSingleton<IBindingPersistence>(sp => sp.GetRequiredService<DbBindingPersistence>());
        services.AddSingleton<PresenceBridge>();
        services.AddSingleton<BanBridge>();
        services.AddSingleton(sp => new SipBanRegistry(sp.GetRequiredService<SipServer>().Bans,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SipBanRegistry>>()));
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Core.Telephony.Bans.ISipBanRegistry>(sp => sp.GetRequiredService<SipBanRegistry>()));
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Core.Telephony.ISipPresenceSource>(sp => sp.GetRequiredService<PresenceBridge>()));
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Core.Telephony.ISipAccountEvents, SipAccountEventsBridge>());
        services.AddHostedService<PresenceBridgeStarter>();
        services.TryAddSingleton<LPTracker.Core.Calls.RingPlanQuery>();
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Telephony.Calls.ICallDirectory, DbCallDirectory>());
        return builder;
    }

    /// <summary>
    /// Created at start-up so no presence change happens before the bridge listens. Registered before the SIP
    /// server's hosted service, so it stops after it: the last bindings are written once no REGISTER can arrive.
    /// </summary>
    private sealed class PresenceBridgeStarter(PresenceBridge bridge, BanBridge bans, DbBindingPersistence bindings) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(bridge);
            GC.KeepAlive(bans);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => bindings.FlushAsync(cancellationToken);
    }
}
