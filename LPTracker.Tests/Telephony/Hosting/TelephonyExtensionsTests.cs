using LPTracker.Telephony;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Tests.Telephony.Hosting;

public sealed class TelephonyExtensionsTests
{
    private static HostApplicationBuilder Builder()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sip:Listen:0"] = "udp:127.0.0.1:0",
            ["Sip:Listen:1"] = "tcp:127.0.0.1:0",
            ["Sip:Domain"] = "pbx.example.com",
            ["Sip:DigestAlgorithms"] = "SHA-256,MD5",
            ["Sip:MinExpires"] = "120",
            ["Sip:QualifyInterval"] = "00:00:20",
            ["Sip:Ban:MaxFailures"] = "4",
        });
        builder.Services.AddLogging();
        return builder;
    }

    [Fact]
    public async Task Options_bind_from_the_sip_section_with_realm_defaulting_to_domain()
    {
        var builder = Builder();

        builder.AddTelephony();
        await using var provider = builder.Services.BuildServiceProvider();
        var server = provider.GetRequiredService<SipServer>();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SipOptions>>().Value;

        Assert.Equal("pbx.example.com", options.EffectiveRealm);
        Assert.Equal(120, options.MinExpires);
        Assert.Equal(TimeSpan.FromSeconds(20), options.QualifyInterval);
        Assert.Equal(4, options.Ban.MaxFailures);
        Assert.Equal(2, server.ListenEndpoints.Count);
        Assert.Equal([DigestAlgorithm.Sha256, DigestAlgorithm.Md5], server.Algorithms);
    }

    [Fact]
    public async Task Directory_and_persistence_registered_by_the_host_replace_the_defaults()
    {
        var builder = Builder();
        var directory = new InMemorySipUserDirectory();
        builder.Services.AddSingleton<ISipUserDirectory>(directory);

        builder.AddTelephony();
        await using var provider = builder.Services.BuildServiceProvider();

        Assert.Same(directory, provider.GetRequiredService<ISipUserDirectory>());
        Assert.IsType<NullBindingPersistence>(provider.GetRequiredService<IBindingPersistence>());
    }

    [Fact]
    public async Task Hosted_server_starts_and_the_sip_health_check_reports_bound_endpoints()
    {
        var builder = Builder();
        builder.AddTelephony();
        using var host = builder.Build();

        await host.StartAsync();
        var feed = host.Services.GetRequiredService<ISipPresenceFeed>();
        var server = host.Services.GetRequiredService<SipServer>();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!server.IsRunning && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await host.StopAsync();

        var sip = report.Entries["sip"];
        Assert.True(sip.Status == HealthStatus.Healthy, sip.Description + sip.Exception);
        Assert.Equal(2, ((string[])sip.Data["endpoints"]).Length);
        Assert.Same(server.Presence, feed);
        Assert.False(server.IsRunning);
    }
}
