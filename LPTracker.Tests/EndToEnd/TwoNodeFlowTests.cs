using System.Globalization;
using LPTracker.Core.Numbers;
using LPTracker.Core.Persistence;
using LPTracker.Core.Security;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Interop;
using LPTracker.Tests.Telephony.TestSupport;
using LPTracker.Tests.Web.ScaleOut;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LPTracker.Tests.EndToEnd;

/// <summary>
/// Node B of a two-node deployment on the run's private PostgreSQL and a private Redis, in process (the test sets
/// accounts up through its services); node A is started by each test as a real console process, so it can be killed.
/// </summary>
public sealed class ProcessNodeCluster : IAsyncLifetime
{
    private RedisTestServer? _redis;

    public ClusterNode B { get; } = new("node-b");

    public async Task InitializeAsync()
    {
        _redis = await RedisTestServer.StartAsync();
        B.Cluster["Database:Provider"] = "Postgres";
        B.Cluster["ConnectionStrings:Lptracker"] = await (await PostgresTestServer.SharedAsync()).CreateDatabaseAsync();
        B.Cluster["Redis:Configuration"] = _redis.Configuration;

        // Heartbeats every 2 s: a silent node's bindings expire after 6 s, well inside the qualify window (30 s).
        B.Cluster["Node:HeartbeatSeconds"] = "2";
        await B.InitializeAsync();
    }

    /// <summary>Starts node A as a process on the same database and Redis, its SIP listener on <paramref name="sipPort"/>
    /// (UDP), a trunk to a carrier on loopback at <paramref name="carrierPort"/>.</summary>
    public Task<ConsoleProcess> StartNodeAAsync(int sipPort, int carrierPort)
    {
        var settings = new Dictionary<string, string?>(B.Cluster)
        {
            ["Node:Id"] = "node-a",
            ["SignIn:PermitLimit"] = "100000",
            ["Sip:Domain"] = "127.0.0.1",
            ["Sip:PublicHost"] = "127.0.0.1",
            ["Sip:Listen:0"] = $"udp:127.0.0.1:{sipPort}",
            ["Sip:Trunks:0:Name"] = "carrier",
            ["Sip:Trunks:0:Address"] = $"127.0.0.1:{carrierPort}",
            ["Sip:Trunks:0:Transport"] = "udp",
        };
        return ConsoleProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}

/// <summary>
/// The two-node walk the scale-out issue asks for: a console open on node B follows, live, a phone registering on
/// node A, an employee edited on node A and a trunk call arriving at node A (which rings the phone on A); then node A
/// dies and node B shows the phone Disconnected.
/// </summary>
public sealed class TwoNodeFlowTests(ProcessNodeCluster cluster) : IClassFixture<ProcessNodeCluster>, IDisposable
{
    private const string Dialled = "+78123893298";
    private const string Client = "+79161234567";

    // Generous: two consoles, PostgreSQL, Redis, Chromium and the suite share two cores; an event crosses Redis.
    private const float Patience = 60_000;
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = Patience };

    private readonly string _dir = ExternalTool.TempDirectory("two-node");

    [Fact]
    public async Task A_console_on_node_b_follows_a_phone_an_edit_and_a_call_on_node_a_and_node_a_s_death()
    {
        var (owner, email) = await cluster.B.SignUpAsync();
        var olga = await cluster.B.AddEmployeeAsync(owner, "olga");
        await TakesCallsOnTheDialledNumberAsync(owner);
        var (user, password) = await cluster.B.IssueSipAccountAsync(owner);
        var sipPort = ExternalTool.FreePort();
        var carrierPort = ExternalTool.FreePort();
        await using var nodeA = await cluster.StartNodeAAsync(sipPort, carrierPort);

        await using var onB = await Browser.NewContextAsync(cluster.B.BaseUrl);
        onB.SetDefaultTimeout(Patience);
        var page = await onB.NewPageAsync();
        await page.SignInAsync(email, "secret123");
        await page.GotoAsync("/employees");
        await page.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=scope-all]");
        var chip = Row(page, owner.EmployeeId).Locator("[data-testid=sip-status]");
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-status", "Disconnected", Slow);

        // 1. A phone registers on node A: node A's own console and node B's show it Online.
        using var phone = BaresipPhone.Start(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, sipPort), user, password, ringable: true);
        await using var onA = await Browser.NewContextAsync(nodeA.BaseUrl);
        onA.SetDefaultTimeout(Patience);
        var pageOnA = await onA.NewPageAsync();
        await pageOnA.SignInAsync(email, "secret123");
        await pageOnA.GotoAsync("/employees");
        await pageOnA.WaitInteractiveAsync();
        await pageOnA.ClickAsync("[data-testid=scope-all]");
        await WithLogsAsync(() => Assertions.Expect(Row(pageOnA, owner.EmployeeId).Locator("[data-testid=sip-status]"))
            .ToHaveAttributeAsync("data-status", "Online", Slow), phone, nodeA);
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-status", "Online", Slow);

        // 2. Olga is edited in node A's console: node B's list follows without a reload.
        await pageOnA.GotoAsync($"/employees/{olga.EmployeeId}");
        await pageOnA.WaitInteractiveAsync();
        var position = pageOnA.Locator("input[data-testid=position]");
        await position.FillAsync("Старший менеджер");
        await position.BlurAsync();
        await pageOnA.ClickAsync("[data-testid=save]");
        await Assertions.Expect(pageOnA.Locator(".mud-snackbar", new() { HasText = "Изменения сохранены" })).ToBeVisibleAsync();

        await Assertions.Expect(Row(page, olga.EmployeeId)).ToContainTextAsync("Старший менеджер", new() { Timeout = 30_000 });

        // 3. A carrier's call to the project's number arrives at node A: it rings the phone on A (the carrier hears
        // 180 Ringing, lets it ring 5 s, then cancels) and pops up on node B's console. The card goes with the CANCEL,
        // so the page keeps what it showed. The 5 s are for the loaded machine: the card crosses Redis to node B and its
        // circuit; a call that rings and ends inside one of B's render batches never shows a card at all.
        await page.EvaluateAsync("() => { window.__card = ''; new MutationObserver(() => { const c = document.querySelector('[data-testid=incoming-call]'); if (!window.__card && c) window.__card = c.innerText; }).observe(document.body, { childList: true, subtree: true }); }");
        await File.WriteAllTextAsync(Path.Combine(_dir, "carrier.csv"), $"SEQUENTIAL\n{Dialled};{Client};\n");
        var (code, output) = await ExternalTool.RunAsync(ExternalTool.Require("sipp", "sip-tester"),
        [
            "-sf", TestFiles.Path("Interop", "sipp", "carrier-cancel.xml"), "-t", "u1", "-i", "127.0.0.1",
            "-p", carrierPort.ToString(CultureInfo.InvariantCulture), "-timeout", "60s", "-timeout_error", "-recv_timeout", "30000",
            "-nostdin", "-inf", Path.Combine(_dir, "carrier.csv"), "-m", "1", "-d", "5000", $"127.0.0.1:{sipPort}",
        ], TimeSpan.FromSeconds(90), _dir);

        Assert.True(code == 0, $"the carrier's call failed ({code}):\n{output}\n--- phone:\n{phone.Output}\n--- node A:\n{nodeA.Output}");
        Assert.Contains("Incoming call", phone.Output, StringComparison.Ordinal);
        await page.WaitForFunctionAsync("() => window.__card !== ''", null, new() { Timeout = 30_000 });
        Assert.Contains("+7 916 123-45-67", await page.EvaluateAsync<string>("() => window.__card"), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=incoming-call]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        // 4. Node A dies (SIGKILL: no unregistering, no last heartbeat): node B expires its bindings and the phone's
        // chip turns Disconnected on B within the qualify window, though the phone itself never said goodbye.
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-status", "Online");
        var killed = System.Diagnostics.Stopwatch.StartNew();
        nodeA.Kill();
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-status", "Disconnected", new() { Timeout = 90_000 });
        var qualify = cluster.B.Get<Microsoft.Extensions.Options.IOptions<LPTracker.Core.Telephony.SipOptions>>().Value.QualifyInterval;
        Assert.True(killed.Elapsed < qualify, $"Disconnected on node B {killed.Elapsed.TotalSeconds:F0} s after node A died (qualify window {qualify.TotalSeconds} s)");
    }

    /// <summary>Runs an expectation; when it fails, the phone's and node A's logs say why.</summary>
    private static async Task WithLogsAsync(Func<Task> expectation, BaresipPhone phone, ConsoleProcess node)
    {
        try
        {
            await expectation();
        }
        catch (PlaywrightException ex)
        {
            Assert.Fail($"{ex.Message}\n--- phone:\n{phone.Output}\n--- node A:\n{node.Output}");
        }
    }

    private static ILocator Row(IPage page, int employeeId) =>
        page.Locator("tr", new() { Has = page.Locator($"[data-testid=row-name][data-id='{employeeId}']") });

    /// <summary>The account's first project (in which its main employee takes calls, from sign-up) gets the dialled number.</summary>
    private async Task TakesCallsOnTheDialledNumberAsync(CallerContext employee)
    {
        await using var db = await cluster.B.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(employee.AccountId);
        var project = await db.Projects.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        db.Numbers.Add(new VirtualNumber { AccountId = employee.AccountId, E164 = Dialled, ProjectId = project, CreatedUtc = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
