using FluentValidation;
using LPTracker.Core.Accounts;
using LPTracker.Core.Calls;
using LPTracker.Core.Employees;
using LPTracker.Core.Live;
using LPTracker.Core.Localization;
using LPTracker.Core.Persistence;
using LPTracker.Core.Projects;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;

namespace LPTracker.Core;

/// <summary>The Core module's one DI entry point.</summary>
public static class CoreExtensions
{
    /// <summary>The connection string used when <c>ConnectionStrings:Lptracker</c> is not set.</summary>
    public const string DefaultConnectionString = "Data Source=App_Data/lptracker.db";

    public static IHostApplicationBuilder AddCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var connection = builder.Configuration.GetConnectionString("Lptracker") ?? DefaultConnectionString;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditInterceptor>();
        var provider = DatabaseProviders.Read(builder.Configuration);
        if (provider == DatabaseProvider.Sqlite)
        {
            connection = ResolveDataSource(connection, builder.Environment.ContentRootPath);
        }

        services.AddDbContextFactory<LptrackerDbContext>((sp, o) => o
            .UseProvider(provider, connection)
            .AddInterceptors(sp.GetRequiredService<AuditInterceptor>()));
        services.AddLocalizationCatalogue(typeof(CoreExtensions).Assembly);
        services.AddValidatorsFromAssembly(typeof(CoreExtensions).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddDataProtection();
        services.AddSingleton<IPasswordHasher<Employee>, PasswordHasher<Employee>>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<AccessService>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<LPTracker.Core.Live.ChangeNotifier>();
        services.TryAddSingleton<LPTracker.Core.Telephony.ISipPresenceSource, LPTracker.Core.Telephony.OfflinePresenceSource>();
        services.TryAddSingleton<LPTracker.Core.Telephony.IRegistrationEvents, LPTracker.Core.Telephony.NullRegistrationEvents>();
        services.AddSipOptions(builder.Configuration);
        services.TryAddSingleton<LPTracker.Core.Telephony.ISipListenerInfo, LPTracker.Core.Telephony.NoSipListener>();
        services.AddSingleton<LPTracker.Core.Telephony.SipCredentialIssuer>();
        services.AddSingleton<SipRealmUpdater>();
        services.AddSingleton<EmployeeListService>();
        services.AddOptions<LPTracker.Core.Audit.AuditOptions>().Bind(builder.Configuration.GetSection("Audit"));
        services.AddSingleton<LPTracker.Core.Audit.AuditLogService>();
        services.AddSingleton<LPTracker.Core.Audit.AuditRetention>();
        services.AddSingleton<LPTracker.Core.Import.TabularReader>();
        services.AddSingleton<LPTracker.Core.Import.CrmImport>();
        services.AddSingleton<LPTracker.Core.Import.RejectedRowsFile>();
        AddMail(services, builder);
        AddRegistrationHistoryAndNotifications(services, builder);
        AddEmployeeEditor(services, builder);
        LPTracker.Core.Employees.Bulk.BulkRegistration.AddEmployeeBulkTools(services);
        AddCrm(services);
        AddCalls(services, builder);
        return builder;
    }

    /// <summary>Adds an assembly's embedded <c>*.ru.json</c>/<c>*.en.json</c> strings to the product's catalogue.</summary>
    public static IServiceCollection AddLocalizationCatalogue(this IServiceCollection services, System.Reflection.Assembly assembly)
    {
        services.AddLocalization();
        services.AddSingleton(new LocalizationAssembly(assembly));
        services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory>(sp =>
            new JsonStringLocalizerFactory(sp.GetServices<LocalizationAssembly>().Select(a => a.Assembly))));
        return services;
    }

    /// <summary>The employee editor, Virtual PBX → Numbers and Call strategy, caller ID.</summary>
    private static void AddEmployeeEditor(IServiceCollection services, IHostApplicationBuilder builder)
    {
        var photos = Path.Combine(DataRoot(builder), "photos");
        services.AddOptions<PhotoOptions>().Configure(o => o.Folder = photos);
        services.AddSingleton<PhotoSweeper>();
        services.AddSingleton<PhotoService>();
        services.AddSingleton<EmployeeGrantRules>();
        services.AddSingleton<EmployeeRankRules>();
        services.AddSingleton<EmployeeEditorService>();
        services.AddSingleton<LPTracker.Core.Telephony.SipDataRights>();
        services.AddSingleton<LPTracker.Core.Telephony.SipDataService>();
        services.AddSingleton<LPTracker.Core.Telephony.Provisioning.ProvisioningLinks>();
        services.TryAddSingleton<LPTracker.Core.Telephony.Bans.ISipBanRegistry, LPTracker.Core.Telephony.Bans.NoSipBans>();
        services.AddSingleton<LPTracker.Core.Telephony.Bans.SipBanList>();
        services.AddSingleton<LPTracker.Core.Telephony.Bans.LiftSipBan>();

        // The telephony module registers its own implementation (AddSingleton after AddCore wins).
        services.TryAddSingleton<LPTracker.Core.Telephony.ISipAccountEvents, LPTracker.Core.Telephony.NoSipAccountEvents>();
        services.AddSingleton<LPTracker.Core.Numbers.NumberService>();
        services.AddSingleton<LPTracker.Core.Numbers.CallerIdService>();
        services.AddSingleton<CallStrategyService>();
    }

    /// <summary>E-mail (SMTP or .eml files), one-time links, invitations and password reset.</summary>
    private static void AddMail(IServiceCollection services, IHostApplicationBuilder builder)
    {
        var root = DataRoot(builder);
        services.AddOptions<LPTracker.Core.Mail.SmtpOptions>().Bind(builder.Configuration.GetSection("Smtp")).Configure(o =>
        {
            o.MailFolder = Path.Combine(root, "mail");
            o.PublicUrl = builder.Configuration["PublicUrl"];
        });
        services.AddSingleton<LPTracker.Core.Mail.MailSender>();
        services.AddSingleton<AccountTokens>();
        services.AddSingleton<PasswordLinks>();
        services.AddSingleton<InvitationService>();
    }

    /// <summary>The data folder (<c>DataFolder</c>), relative paths under the content root.</summary>
    private static string DataRoot(IHostApplicationBuilder builder)
    {
        var dataFolder = builder.Configuration["DataFolder"] ?? "App_Data";
        return Path.IsPathRooted(dataFolder) ? dataFolder : Path.Combine(builder.Environment.ContentRootPath, dataFolder);
    }

    /// <summary>The CRM: the one rights check, contacts, funnel stages, leads (= deals), tasks.</summary>
    private static void AddCrm(IServiceCollection services)
    {
        services.AddSingleton<LPTracker.Core.Crm.CrmAccess>();
        services.AddSingleton<LPTracker.Core.Contacts.ContactLookup>();
        services.AddSingleton<LPTracker.Core.Contacts.ContactQueries>();
        services.AddSingleton<LPTracker.Core.Contacts.ContactActivity>();
        services.AddSingleton<LPTracker.Core.Contacts.SaveContact>();
        services.AddSingleton<LPTracker.Core.Contacts.DeleteContact>();
        services.AddSingleton<LPTracker.Core.Leads.FunnelStages>();
        services.AddSingleton<LPTracker.Core.Leads.LeadQueries>();
        services.AddSingleton<LPTracker.Core.Leads.SaveLead>();
        services.AddSingleton<LPTracker.Core.Leads.DeleteLead>();
        services.AddSingleton<LPTracker.Core.Tasks.TaskQueries>();
        services.AddSingleton<LPTracker.Core.Tasks.SaveTask>();
        services.AddSingleton<LPTracker.Core.Crm.CrmExport>();
        services.AddSingleton<LPTracker.Core.Analytics.LeadAnalytics>();
    }

    /// <summary>
    /// The call log, live call state and pop-ups. <see cref="ICallEvents"/> is Core's own, registered with
    /// <c>Replace</c> so it wins over the telephony's do-nothing default whichever module registers first.
    /// </summary>
    private static void AddCalls(IServiceCollection services, IHostApplicationBuilder builder)
    {
        services.AddOptions<CallLogOptions>().Bind(builder.Configuration.GetSection("Calls"));
        services.AddSingleton<KeyedNotifier<PopUpChange>>();
        services.AddSingleton<KeyedNotifier<CallLogChange>>();
        services.AddSingleton<LiveCallTracker>();
        services.AddSingleton<IncomingCallPopUps>();
        services.AddSingleton<CallLogWriter>();
        services.AddSingleton<CallEventSink>();
        services.Replace(ServiceDescriptor.Singleton<ICallEvents>(sp => sp.GetRequiredService<CallEventSink>()));
        services.AddHostedService<CallEventPump>();
        services.AddSingleton<CallLogRetention>();
        services.AddHostedService<CallLogRetentionService>();
        services.AddSingleton<CallLogService>();
        services.AddSingleton<CallService>();
    }

    /// <summary>
    /// Registration history and administrators' notifications. The sink is Core's <see cref="LPTracker.Core.Telephony.IRegistrationEvents"/>,
    /// registered with <c>Replace</c> so it wins over the do-nothing default whichever module registers first.
    /// </summary>
    private static void AddRegistrationHistoryAndNotifications(IServiceCollection services, IHostApplicationBuilder builder)
    {
        services.AddOptions<LPTracker.Core.Notifications.NotificationOptions>().Bind(builder.Configuration.GetSection("Notifications"));
        services.AddOptions<LPTracker.Core.RegistrationHistory.RegistrationHistoryOptions>().Bind(builder.Configuration.GetSection("RegistrationHistory"));
        services.AddSingleton<KeyedNotifier<LPTracker.Core.Notifications.NotificationChange>>();
        services.AddSingleton<LPTracker.Core.Notifications.AdminNotifications>();
        services.AddSingleton<LPTracker.Core.Notifications.IAdminNotifications>(sp => sp.GetRequiredService<LPTracker.Core.Notifications.AdminNotifications>());
        services.AddSingleton<LPTracker.Core.Notifications.NotificationFeed>();
        services.AddSingleton<LPTracker.Core.Notifications.NotificationRetention>();
        services.AddSingleton<LPTracker.Core.RegistrationHistory.RegistrationEventSink>();
        services.Replace(ServiceDescriptor.Singleton<LPTracker.Core.Telephony.IRegistrationEvents>(
            sp => sp.GetRequiredService<LPTracker.Core.RegistrationHistory.RegistrationEventSink>()));
        services.AddSingleton<LPTracker.Core.RegistrationHistory.RegistrationHistoryWriter>();
        services.AddHostedService<LPTracker.Core.RegistrationHistory.RegistrationEventPump>();
        services.AddSingleton<LPTracker.Core.RegistrationHistory.RegistrationAlertQueue>();
        services.AddHostedService<LPTracker.Core.RegistrationHistory.RegistrationAlertPump>();
        services.AddSingleton<LPTracker.Core.RegistrationHistory.RegistrationHistoryService>();
        services.AddSingleton<LPTracker.Core.RegistrationHistory.RegistrationHistoryRetention>();
        services.AddHostedService<LPTracker.Core.RegistrationHistory.AdministrationRetentionService>();
    }

    /// <summary>Makes a relative SQLite file path relative to the content root, not the working directory.</summary>
    private static string ResolveDataSource(string connectionString, string contentRoot)
    {
        var csb = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.Combine(contentRoot, csb.DataSource);
        }

        return csb.ToString();
    }
}

/// <summary>Marks an assembly whose embedded string catalogues belong to the product.</summary>
public sealed record LocalizationAssembly(System.Reflection.Assembly Assembly);
