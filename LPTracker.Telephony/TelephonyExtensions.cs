using LPTracker.Core.Calls;
using LPTracker.Core.Telephony;
using LPTracker.Telephony.Calls;
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
    /// <see cref="IClickToCallDialer"/> is the B2BUA. <see cref="ISipUserDirectory"/>, <see cref="IBindingPersistence"/>,
    /// <see cref="ICallDirectory"/> and <see cref="ICallEvents"/> default to in-memory / do-nothing implementations;
    /// register your own before or after this call to replace them.
    /// </summary>
    public static IHostApplicationBuilder AddTelephony(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSipOptions(builder.Configuration);
        // A generated TLS certificate is kept beside the database, so phones that trust it keep trusting it.
        var dataFolder = builder.Configuration["DataFolder"] ?? "App_Data";
        services.PostConfigure<SipOptions>(o => o.Tls.GeneratedCertificatePath ??= Path.Combine(dataFolder, "sip-tls.pfx"));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISipUserDirectory, InMemorySipUserDirectory>();
        services.TryAddSingleton<IBindingPersistence, NullBindingPersistence>();
        // Defaults until the console's are registered: no numbers known, call events to nobody.
        services.TryAddSingleton<ICallDirectory, EmptyCallDirectory>();
        services.TryAddSingleton<ICallEvents, NullCallEvents>();
        services.TryAddSingleton(sp => new SipServer(
            sp.GetRequiredService<IOptions<SipOptions>>().Value,
            sp.GetRequiredService<ISipUserDirectory>(),
            sp.GetRequiredService<IBindingPersistence>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<ICallDirectory>(),
            sp.GetRequiredService<ICallEvents>(),
            sp.GetService<Cluster.ClusterCalls>()));
        services.TryAddSingleton<IClickToCallDialer>(sp => sp.GetRequiredService<SipServer>().Calls);
        services.TryAddSingleton(sp => sp.GetRequiredService<SipServer>().Presence);
        services.TryAddSingleton(sp => sp.GetRequiredService<SipServer>().Locations);
        services.Replace(ServiceDescriptor.Singleton<ISipListenerInfo, SipListenerInfo>());
        services.AddHostedService<SipHostedService>();
        services.AddHealthChecks().AddCheck<SipHealthCheck>("sip");
        return builder;
    }
}
