using LPTracker.Core.Telephony;
using LPTracker.Telephony.Hosting;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LPTracker.Telephony;

/// <summary>The Telephony project's DI entry point.</summary>
public static class TelephonyExtensions
{
    /// <summary>
    /// Adds the SIP registrar: options from the <c>Sip</c> section, the <see cref="SipServer"/> started by a hosted
    /// service, <see cref="ISipPresenceFeed"/>, <see cref="ILocationStore"/> and the "sip" health check.
    /// <see cref="ISipUserDirectory"/> and <see cref="IBindingPersistence"/> default to in-memory implementations;
    /// register your own before or after this call to replace them.
    /// </summary>
    public static IHostApplicationBuilder AddTelephony(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSipOptions(builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISipUserDirectory, InMemorySipUserDirectory>();
        services.TryAddSingleton<IBindingPersistence, NullBindingPersistence>();
        services.TryAddSingleton(sp => new SipServer(
            sp.GetRequiredService<IOptions<SipOptions>>().Value,
            sp.GetRequiredService<ISipUserDirectory>(),
            sp.GetRequiredService<IBindingPersistence>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<SipServer>().Presence);
        services.TryAddSingleton(sp => sp.GetRequiredService<SipServer>().Locations);
        services.Replace(ServiceDescriptor.Singleton<ISipListenerInfo, SipListenerInfo>());
        services.AddHostedService<SipHostedService>();
        services.AddHealthChecks().AddCheck<SipHealthCheck>("sip");
        return builder;
    }
}
