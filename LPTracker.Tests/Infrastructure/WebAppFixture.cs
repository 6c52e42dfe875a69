using LPTracker.Core.Accounts;
using LPTracker.Core.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LPTracker.Tests.Infrastructure;

/// <summary>
/// The real web app on a real loopback port (Kestrel, port 0) with its own SQLite file and data folder, so a
/// browser, an HTTP client or a SIP phone can reach it. Extra settings override appsettings.json.
/// </summary>
public class WebAppFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private AppFactory? _factory;

    /// <summary>Settings added on top of the defaults (override in a derived fixture).</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => _factory!.Services;

    public string DataFolder => _folder.Path;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lptracker"] = $"Data Source={Path.Combine(_folder.Path, "app.db")}",
            ["DataFolder"] = _folder.Path,
            ["Sip:Listen:0"] = "udp:127.0.0.1:0",
            ["Sip:Listen:1"] = "tcp:127.0.0.1:0",

            // Every test signs in from 127.0.0.1: the per-address limit is tested by a fixture that sets its own.
            ["SignIn:PermitLimit"] = "100000",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        _factory = new AppFactory(settings);
        _factory.UseKestrel();
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        // The SIP listeners bind in a hosted service after the registrar's warm-up (up to Sip:WarmUpLimit in the first
        // server of a process, decision 0079): tests reading the SIP port must find it bound.
        var sip = Services.GetService<LPTracker.Telephony.SipServer>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (sip is { IsRunning: false })
        {
            Assert.True(DateTime.UtcNow < deadline, "the SIP server did not start within 60 s");
            await Task.Delay(25);
        }
    }

    /// <summary>Signs up a fresh account through the real service; returns its main account and login.</summary>
    public async Task<(CallerContext Caller, string Email)> SignUpAsync(string password = "secret123")
    {
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        var result = await Get<AccountService>().SignUpAsync(new SignUpRequest { CompanyName = "ООО Тест", Email = email, Password = password });
        Assert.True(result.Succeeded, result.Summary);
        return (new CallerContext(result.Value!.AccountId, result.Value.EmployeeId), email);
    }

    /// <summary>Signs up a fresh account and opens a page signed in as its main account (dispose the context).</summary>
    public async Task<(Microsoft.Playwright.IBrowserContext Context, Microsoft.Playwright.IPage Page, CallerContext Owner)> OpenSignedInAsync()
    {
        var (owner, email) = await SignUpAsync();
        var context = await Browser.NewContextAsync(BaseUrl);
        var page = await context.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        return (context, page, owner);
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    /// <summary>
    /// The app with the fixture's settings. It is stopped the way it stops in production: Program's
    /// <c>app.RunAsync()</c> stops the host once <c>ApplicationStopping</c> fires, then disposes it. The base
    /// <c>DisposeAsync</c> would call <c>Host.StopAsync</c> a second time, concurrently with that
    /// (dotnet/aspnetcore#40271, minimal hosting): under load the program's dispose overtook it and hosted services were
    /// stopped again after being disposed (a disposed BackgroundService's token source, the container itself) — the
    /// ObjectDisposedException / InvalidOperationException that failed class cleanups of SipDefaultsTests,
    /// CallStrategyFlowTests and IncomingCallTests. So only the program stops the host, once.
    /// </summary>
    private sealed class AppFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseStaticWebAssets();
            builder.UseSetting("urls", "http://127.0.0.1:0");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2215:Dispose methods should call base class dispose",
            Justification = "The base would stop the host a second time, racing the program's own dispose (see the class remarks).")]
        public override async ValueTask DisposeAsync()
        {
            var lifetime = Services.GetRequiredService<IHostApplicationLifetime>();
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStopped.Register(() => stopped.TrySetResult()))
            {
                lifetime.StopApplication();
                await stopped.Task.WaitAsync(StopTimeout);
            }

            GC.SuppressFinalize(this);
        }
    }
}
