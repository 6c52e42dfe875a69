using System.Net;
using LPTracker.Core.Calls;
using LPTracker.Core.Contacts;
using LPTracker.Core.Live;
using LPTracker.Core.Persistence;
using LPTracker.Core.Telephony;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;
using LPTracker.Web.Hubs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace LPTracker.Tests.Web.ScaleOut;

/// <summary>Two console nodes on one PostgreSQL and one Redis: live events, cookies, secrets and the hub cross nodes.</summary>
public sealed class TwoNodeTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    // Generous: CI runs on 2 cores, and a REGISTER on node A reaches node B's hub through Redis twice (relay, backplane).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_employee_change_on_node_a_reaches_a_list_on_node_b_and_node_a_tells_its_own_lists_once()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var onB = new TaskCompletionSource<EmployeeChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var onA = new List<EmployeeChange>();
        using var listOnB = cluster.B.Get<ChangeNotifier>().Subscribe(owner.AccountId, c => onB.TrySetResult(c));
        using var listOnA = cluster.A.Get<ChangeNotifier>().Subscribe(owner.AccountId, c => { lock (onA) { onA.Add(c); } });
        var change = new EmployeeChange(owner.AccountId, owner.EmployeeId, EmployeeChangeKind.Updated);

        cluster.A.Get<ChangeNotifier>().Publish(change);

        Assert.Equal(change, await onB.Task.WaitAsync(Patience));
        await Task.Delay(500);
        lock (onA)
        {
            Assert.Equal([change], onA);
        }
    }

    [Fact]
    public async Task An_incoming_call_pop_up_raised_on_node_a_opens_on_node_b_with_every_field()
    {
        var card = new IncomingCallCard(Guid.NewGuid(), Guid.NewGuid(), 7, 42, "+78123893298", false, 3, "Проект 1", "+78120000000",
            new DateTime(2026, 11, 30, 3, 0, 0, DateTimeKind.Utc), new ContactMatch(5, 3, "Иван Петров", "ООО Ромашка"));
        var onB = new TaskCompletionSource<PopUpChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var popUpOnB = cluster.B.Get<KeyedNotifier<PopUpChange>>().Subscribe(42, p => onB.TrySetResult(p));

        cluster.A.Get<KeyedNotifier<PopUpChange>>().Publish(42, new PopUpChange(card, Ended: false));

        var received = await onB.Task.WaitAsync(Patience);
        Assert.Equal(card with { Contact = null }, received.Card with { Contact = null });
        Assert.Equal(card.Contact, received.Card.Contact);
        Assert.False(received.Ended);
    }

    [Fact]
    public async Task A_sign_in_cookie_issued_by_node_a_is_accepted_by_node_b()
    {
        var (_, email) = await cluster.A.SignUpAsync();
        var cookies = await HttpSignIn.SignInAsync(cluster.A.BaseUrl, email, "secret123");
        var onB = new CookieContainer();
        onB.Add(new Uri(cluster.B.BaseUrl), cookies.GetCookies(new Uri(cluster.A.BaseUrl)));

        var signedIn = await GetStatusAsync(cluster.B.BaseUrl + "/employees", onB);
        var anonymous = await GetStatusAsync(cluster.B.BaseUrl + "/employees", new CookieContainer());

        Assert.Equal(HttpStatusCode.OK, signedIn);
        Assert.Equal(HttpStatusCode.Redirect, anonymous);
    }

    [Fact]
    public async Task A_sip_password_protected_on_node_a_is_read_on_node_b()
    {
        var (owner, _) = await cluster.A.SignUpAsync();
        var ivan = await cluster.A.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await cluster.A.IssueSipAccountAsync(ivan);

        await using var db = await cluster.B.Get<IDbContextFactory<LptrackerDbContext>>().ForTenantAsync(owner.AccountId);
        var stored = await db.SipAccounts.Where(a => a.UserName == user).Select(a => a.ProtectedPassword).SingleAsync();
        var read = cluster.B.Get<IDataProtectionProvider>().CreateProtector("LPTracker.SipPassword.v1").Unprotect(stored!);

        Assert.Equal(password, read);
    }

    [Fact]
    public async Task Health_has_an_entry_per_dependency_and_metrics_stay_off_without_a_port_or_token()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, cluster.B.BaseUrl + "/health");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ClusterNode.HealthToken);
        using var response = await http.SendAsync(request);
        using var health = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = health.RootElement.GetProperty("checks");
        var metrics = await http.GetAsync(cluster.B.BaseUrl + "/metrics");

        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.True(checks.TryGetProperty("sip", out _));
        Assert.DoesNotContain("lpt_sip", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> GetStatusAsync(string url, CookieContainer cookies)
    {
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(url);
        return response.StatusCode;
    }
}
