using System.Globalization;
using LPTracker.Core;
using LPTracker.Core.Accounts;
using LPTracker.Core.Persistence;
using LPTracker.Web.Admin;
using LPTracker.Web.Auth;
using LPTracker.Web.Components;
using LPTracker.Web.Localization;
using LPTracker.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using MudBlazor;
using MudBlazor.Services;

namespace LPTracker.Web;

/// <summary>The web module's DI entry point and pipeline.</summary>
public static class WebExtensions
{
    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        services.AddTransient<MudLocalizer, MudCatalogueLocalizer>();
        services.AddLocalizationCatalogue(typeof(WebExtensions).Assembly);
        services.Configure<RequestLocalizationOptions>(o =>
        {
            string[] cultures = ["ru-RU", "en-US"];
            o.SetDefaultCulture(cultures[0]).AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });

        var dataFolder = DataFolder(builder);
        services.AddDataProtection().SetApplicationName("LPTracker")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataFolder, "keys")));
        services.AddSingleton(new DataFolderPath(dataFolder));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/login";
                o.Cookie.Name = "lpt.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.Events.OnValidatePrincipal = SessionValidator.ValidateAsync;
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthStateProvider>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<Components.Shell.ShellState>();
        services.AddHttpContextAccessor();
        services.AddHealthChecks().AddDbContextCheck<LptrackerDbContext>("database");
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddSignInRateLimit(builder.Configuration);
        services.AddSignalR();
        services.AddSingleton<Hubs.HubConnections>();
        services.AddHostedService<Hubs.HubRevalidationService>();
        services.AddHostedService<Hubs.TelephonyHubBridge>();
        services.AddHostedService<Hubs.CallHubBridge>();
        services.AddHostedService<PhotoSweepService>();
        AddAdmin(services);
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseRateLimiter();

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAuditCaller();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapPhotoEndpoint();
        LPTracker.Web.Crm.ExportEndpoints.MapCrmExportEndpoints(app);
        app.MapAuditEndpoints();
        app.MapRegistrationHistoryEndpoints();
        app.MapEmployeeExportEndpoints();
        app.MapProvisioningEndpoints();
        app.MapHealthChecks("/health", HealthResponse.Options);
        app.MapHub<Hubs.TelephonyHub>(Hubs.TelephonyHub.Path);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Migrates the database (unless switched off) and seeds the demo on <c>--demo</c>.</summary>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app, string[] args)
    {
        if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
        {
            try
            {
                await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
            }
            catch (DatabaseStartupException ex)
            {
                await Console.Error.WriteLineAsync($"LPTracker cannot start: {ex.Message}");
                return false;
            }
        }

        if (args.Contains("--demo"))
        {
            var created = await app.Services.GetRequiredService<DemoSeeder>().SeedAsync();
            Console.WriteLine(created ? "Demo account №19079 created." : "Demo account №19079 is already there.");
            Console.WriteLine($"Sign in as {DemoSeeder.MainEmail} (main account) or 19079_ivan (employee); password: {DemoSeeder.Password}");
        }

        return true;
    }

    /// <summary>Audit log, registration history, e-mail, provisioning: the administration features.</summary>
    private static void AddAdmin(IServiceCollection services)
    {
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, AuditCircuitHandler>();
        services.AddHostedService<AuditRetentionService>();
        services.AddScoped<LinkBase>();
    }

    private static string DataFolder(IHostApplicationBuilder builder)
    {
        var folder = builder.Configuration["DataFolder"] ?? "App_Data";
        return Path.IsPathRooted(folder) ? folder : Path.Combine(builder.Environment.ContentRootPath, folder);
    }
}

/// <summary>The folder where the app keeps its files (photos, data protection keys).</summary>
public sealed record DataFolderPath(string Path);
