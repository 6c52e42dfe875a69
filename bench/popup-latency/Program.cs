using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LPTracker.Core.Accounts;
using LPTracker.Core.Employees;
using LPTracker.Core.Numbers;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using LPTracker.Telephony;
using LPTracker.Telephony.Sip.Transport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace PopUpLatencyBench;

/// <summary>
/// Trunk INVITE → incoming-call pop-up visible in Chromium. The whole path is real: sipp as the carrier sends an
/// INVITE to a virtual number, the B2BUA rings the employee's registered phone (a sipp UAS answering 180), Core raises
/// the pop-up, the circuit pushes it, and a MutationObserver in the page stamps the moment the card is in the DOM.
/// The INVITE's send time comes from the carrier's sipp message trace (same machine, same clock).
/// </summary>
internal static partial class Bench
{
    private const string Dialled = "+78123893298";
    private const string Client = "+79161234567";

    public static async Task<int> Main(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
        var here = AppContext.BaseDirectory;
        var work = Path.Combine(Path.GetTempPath(), "lpt-popup-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var carrierPort = FreeUdpPort();

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseStaticWebAssets();
            b.UseSetting("urls", "http://127.0.0.1:0");
            b.UseSetting("ConnectionStrings:Lptracker", $"Data Source={Path.Combine(work, "bench.db")}");
            b.UseSetting("DataFolder", work);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Sip:Listen:0", "udp:127.0.0.1:0");
            b.UseSetting("Sip:Listen:1", "tcp:127.0.0.1:0");
            b.UseSetting("Sip:Domain", "127.0.0.1");
            b.UseSetting("Sip:QualifyInterval", "01:00:00");
            b.UseSetting("Sip:Trunks:0:Name", "carrier");
            b.UseSetting("Sip:Trunks:0:Address", $"127.0.0.1:{carrierPort}");
            b.UseSetting("Sip:Trunks:0:Transport", "udp");
        });
        factory.UseKestrel();
        factory.StartServer();
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        // The SIP server starts in a background service: wait for its UDP listener.
        var server = factory.Services.GetRequiredService<SipServer>();
        for (var i = 0; i < 200 && !server.BoundEndpoints.Any(b => b.Transport == SipTransportKind.Udp); i++)
        {
            await Task.Delay(50);
        }

        var sip = server.GetEndPoint(SipTransportKind.Udp);
        var (login, sipUser, sipPassword) = await SeedAsync(factory.Services);

        // The phone: register from a port with sipp, then a sipp UAS on that port rings for every call.
        var phonePort = FreeUdpPort();
        await File.WriteAllTextAsync(Path.Combine(work, "phone.csv"), $"SEQUENTIAL\n{sipUser};[authentication username={sipUser} password={sipPassword}];\n");
        var register = Sipp(work, ["-sf", Path.Combine(here, "register-bench.xml"), "-inf", "phone.csv", "-m", "1", "-p", Port(phonePort), $"{sip.Address}:{sip.Port}"]);
        await register.WaitForExitAsync();
        if (register.ExitCode != 0)
        {
            throw new InvalidOperationException($"The phone did not register (sipp exit {register.ExitCode}).");
        }

        using var phone = Sipp(work, ["-sf", Path.Combine(here, "phone-ring.xml"), "-m", Port(calls), "-p", Port(phonePort)]);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "ru-RU" })).NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", "bench12345");
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("html[data-interactive='true']", new() { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync("""
            () => {
              window.__popups = [];
              new MutationObserver(() => {
                for (const el of document.querySelectorAll('[data-testid=incoming-call]')) {
                  if (!el.__seen) { el.__seen = true; window.__popups.push(Date.now()); }
                }
              }).observe(document.body, { childList: true, subtree: true });
            }
            """);

        // One call at a time: each rings ~1.5 s, is cancelled, and the card goes before the next INVITE.
        await File.WriteAllTextAsync(Path.Combine(work, "carrier.csv"), $"SEQUENTIAL\n{Dialled};{Client};\n");
        Console.WriteLine($"{calls} calls, one at a time. {Uptime()}");
        var carrier = Sipp(work, ["-sf", Path.Combine(here, "carrier-ring-cancel.xml"), "-inf", "carrier.csv", "-m", Port(calls), "-l", "1",
            "-p", Port(carrierPort), "-trace_msg", "-message_file", "carrier.msg", $"{sip.Address}:{sip.Port}"]);
        await carrier.WaitForExitAsync();
        await Task.Delay(500);
        var shown = await page.EvaluateAsync<long[]>("() => window.__popups");
        var sent = InviteTimes(await File.ReadAllTextAsync(Path.Combine(work, "carrier.msg")));
        Console.WriteLine($"carrier sipp exit {carrier.ExitCode}; INVITEs sent {sent.Count}, pop-ups seen {shown.Length}. {Uptime()}");

        var latencies = sent.Zip(shown, (s, p) => p - s).Select(x => (double)x).Order().ToArray();
        if (latencies.Length > 0)
        {
            Console.WriteLine($"trunk INVITE → pop-up visible (ms): min {latencies[0]:F0}  p50 {P(latencies, 0.5):F0}  p95 {P(latencies, 0.95):F0}  max {latencies[^1]:F0}  (n={latencies.Length})");
        }

        if (!phone.HasExited)
        {
            phone.Kill();
        }

        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }

        return latencies.Length == calls ? 0 : 1;
    }

    private static async Task<(string Login, string SipUser, string SipPassword)> SeedAsync(IServiceProvider services)
    {
        var signUp = await services.GetRequiredService<AccountService>().SignUpAsync(
            new SignUpRequest { CompanyName = "ООО Бенч", Email = $"bench-{Guid.NewGuid():N}@example.com", Password = "bench12345" });
        var accountId = signUp.Value!.AccountId;
        await using var db = await services.GetRequiredService<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(accountId);
        var number = await db.Accounts.Select(a => a.Number).SingleAsync();
        var project = await db.Projects.OrderBy(p => p.Id).FirstAsync();
        db.Numbers.Add(new VirtualNumber { AccountId = accountId, E164 = Dialled, ProjectId = project.Id, CreatedUtc = DateTime.UtcNow });
        var ivan = new Employee
        {
            AccountId = accountId, Name = "Иван", Login = LoginRules.Compose(number, "ivan"), CreatedUtc = DateTime.UtcNow, CurrentProjectId = project.Id,
        };
        ivan.PasswordHash = services.GetRequiredService<IPasswordHasher<Employee>>().HashPassword(ivan, "bench12345");
        ivan.RefreshSearchText();
        ivan.Memberships.Add(new ProjectMembership { AccountId = accountId, ProjectId = project.Id, HasAccess = true, TakesCalls = true });
        db.Employees.Add(ivan);
        await db.SaveChangesAsync();

        var account = new SipAccount { EmployeeId = ivan.Id, AccountId = accountId };
        var password = services.GetRequiredService<SipCredentialIssuer>().Issue(account, number, DateTime.UtcNow);
        db.SipAccounts.Add(account);
        await db.SaveChangesAsync();
        await services.GetRequiredService<ISipAccountEvents>().OnCredentialsIssuedAsync(accountId, ivan.Id, account.UserName);
        return (ivan.Login, account.UserName, password);
    }

    /// <summary>The send times of the INVITEs in a sipp message trace ("----- 2026-11-30 00:40:00.123456 … UDP message sent … INVITE").</summary>
    private static List<long> InviteTimes(string trace)
    {
        var times = new List<long>();
        foreach (Match m in TraceEntry().Matches(trace))
        {
            var local = DateTime.ParseExact($"{m.Groups[1].Value} {m.Groups[2].Value}", "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal);
            times.Add(new DateTimeOffset(local).ToUnixTimeMilliseconds());
        }

        return times;
    }

    [GeneratedRegex(@"-{10,}\s+(\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2}:\d{2}\.\d{6})\s+UDP message sent[^\n]*\n\s*\n?\s*INVITE ", RegexOptions.CultureInvariant)]
    private static partial Regex TraceEntry();

    private static Process Sipp(string work, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("sipp", ["-t", "u1", "-i", "127.0.0.1", "-nostdin", "-timeout", "300s", "-timeout_error", .. args])
        {
            WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"sipp: {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Uptime() => File.Exists("/proc/loadavg") ? $"load: {File.ReadAllText("/proc/loadavg").Trim()}" : "";

    private static int FreeUdpPort()
    {
        using var socket = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
