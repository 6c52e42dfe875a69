using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LPTracker.Core.Telephony;

/// <summary>Binds <see cref="SipOptions"/> once, whoever asks first (the console's Core or the registrar).</summary>
public static class SipOptionsRegistration
{
    /// <summary>
    /// Binds the <c>Sip</c> section to <see cref="SipOptions"/> with its validation. Idempotent: binding twice would
    /// append every configured array (listeners, transports) a second time.
    /// </summary>
    public static IServiceCollection AddSipOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return services;
        }

        services.AddSingleton<Marker>();
        services.AddOptions<SipOptions>().Bind(configuration.GetSection(SipOptions.SectionName))
            .Validate(o => o.MinExpires > 0 && o.MaxExpires >= o.MinExpires, "Sip:MinExpires must be positive and not above Sip:MaxExpires.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Domain), "Sip:Domain must not be empty.")
            .ValidateOnStart();
        return services;
    }

    private sealed class Marker;
}
