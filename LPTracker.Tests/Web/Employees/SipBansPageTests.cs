using System.Net;
using Bunit;
using LPTracker.Core.Audit;
using LPTracker.Core.Cluster;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Core.Telephony.Bans;
using LPTracker.Telephony.Integration;
using LPTracker.Telephony.Sip.Auth;
using LPTracker.Tests.Core.Audit;
using LPTracker.Tests.Infrastructure;
using LPTracker.Web.Components.Pages.Employees;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;

namespace LPTracker.Tests.Web.Employees;

/// <summary>The SIP bans page over a real <see cref="FailureBanList"/> (failures recorded as the registrar records them).</summary>
public sealed class SipBansPageTests : IAsyncLifetime
{
    private static readonly IPAddress Office = IPAddress.Parse("198.51.100.7");
    private CoreTestHost _core = null!;
    private CallerContext _owner = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreTestHost.StartAsync(b =>
        {
            b.Services.AddSingleton(sp => new FailureBanList(new SipBanOptions { MaxFailures = 3 }, sp.GetRequiredService<TimeProvider>(),
                NullLogger.Instance));
            b.Services.Replace(ServiceDescriptor.Singleton<ISipBanRegistry>(sp =>
                new SipBanRegistry(sp.GetRequiredService<FailureBanList>(), new NodeIdentity("node-test"), new NodeExchange<SipBanMessage>(),
                    NullLogger<SipBanRegistry>.Instance)));
        });
        _owner = await _core.SignUpAsync();
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task A_ban_of_an_employees_sip_user_is_listed_with_who_why_and_until()
    {
        var (_, user) = await BannedIvanAsync();
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<SipBans>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=sip-ban]")));
        var row = cut.Find("[data-testid=sip-ban]").TextContent;
        Assert.Contains("198.51.100.7", row, StringComparison.Ordinal);
        Assert.Contains("Иван Петров", row, StringComparison.Ordinal);
        Assert.Contains(user, row, StringComparison.Ordinal);
        Assert.Contains("Неверный пароль: 3 раз подряд", row, StringComparison.Ordinal);
        Assert.Contains("28.11 09:00:00", row, StringComparison.Ordinal);
        Assert.Contains("28.11 09:10:00", row, StringComparison.Ordinal);
        Assert.Contains("node-a", cut.Find("[data-testid=sip-bans-node]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_accounts_ban_is_not_shown()
    {
        var other = await _core.SignUpAsync();
        var stranger = await _core.AddEmployeeAsync(other, "olga");
        Fail(Office, await SipUserAsync(stranger, other), 3);
        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<SipBans>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=sip-bans-empty]")));
    }

    [Fact]
    public async Task Lifting_a_ban_removes_it_from_the_list_the_registrar_and_writes_the_audit_log()
    {
        var (ivan, user) = await BannedIvanAsync();
        await using var ctx = SignedIn(_owner);
        var dialogs = ctx.Render<MudDialogProvider>();
        var cut = ctx.Render<SipBans>();

        cut.WaitForElement("[data-testid=sip-ban-lift]").Click();
        dialogs.WaitForElement(".mud-dialog-actions");
        dialogs.FindAll(".mud-dialog-actions button")[^1].Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=sip-bans-empty]")));
        Assert.False(_core.Get<FailureBanList>().IsBanned(Office, user));
        var record = Assert.Single(await _core.AuditAsync(_owner.AccountId, AuditAction.SipBanLifted));
        Assert.Equal(ivan.EmployeeId, record.TargetEmployeeId);
        Assert.Contains(record.Changes, c => c is { Field: "SipBanAddress", Before: "198.51.100.7" });
    }

    [Fact]
    public async Task A_ban_that_starts_while_the_page_is_open_appears_without_a_reload()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan", name: "Иван Петров");
        var user = await SipUserAsync(ivan);
        await using var ctx = SignedIn(_owner);
        var cut = ctx.Render<SipBans>();
        cut.WaitForElement("[data-testid=sip-bans-empty]");

        Fail(Office, user, 3);
        _core.Time.Advance(TimeSpan.FromSeconds(2));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=sip-ban]")));
    }

    [Fact]
    public async Task An_address_ban_naming_another_accounts_user_is_shown_without_the_lift_button()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan", name: "Иван Петров");
        var mine = await SipUserAsync(ivan);
        var other = await _core.SignUpAsync();
        var theirs = await SipUserAsync(await _core.AddEmployeeAsync(other, "olga"), other);
        var bans = _core.Get<FailureBanList>();
        foreach (var name in new[] { mine, theirs, "guess1", "guess2", "guess3" })
        {
            bans.RecordFailure(Office, name);
        }

        await using var ctx = SignedIn(_owner);

        var cut = ctx.Render<SipBans>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=sip-ban]")));
        Assert.Contains("весь адрес", cut.Find("[data-testid=sip-ban-who]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs, cut.Markup, StringComparison.Ordinal);
        Assert.Contains("и ещё логинов: 4", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=sip-ban-lift]"));
        Assert.NotNull(cut.Find("[data-testid=sip-ban-provider]"));
    }

    [Fact]
    public async Task The_page_is_closed_without_the_employees_section()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan", CommonSections.Telephony);
        Fail(Office, await SipUserAsync(ivan), 3);
        await using var ctx = SignedIn(ivan);

        var cut = ctx.Render<SipBans>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-access]")));
        Assert.DoesNotContain("198.51.100.7", cut.Markup, StringComparison.Ordinal);
    }

    /// <summary>Иван Петров with a SIP account, banned from <see cref="Office"/> for three wrong passwords.</summary>
    private async Task<(CallerContext Ivan, string User)> BannedIvanAsync()
    {
        var ivan = await _core.AddEmployeeAsync(_owner, "ivan", name: "Иван Петров");
        var user = await SipUserAsync(ivan);
        Fail(Office, user, 3);
        return (ivan, user);
    }

    private void Fail(IPAddress address, string user, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _core.Get<FailureBanList>().RecordFailure(address, user);
        }
    }

    private async Task<string> SipUserAsync(CallerContext employee, CallerContext? owner = null)
    {
        var sip = await _core.Get<SipDataService>().GenerateAsync(owner ?? _owner, employee.EmployeeId);
        Assert.True(sip.Succeeded, sip.Summary);
        return sip.Value!.UserName!;
    }

    private ConsoleBunitContext SignedIn(CallerContext caller)
    {
        var ctx = new ConsoleBunitContext(_core);
        ctx.Services.AddSingleton(new NodeIdentity("node-a"));
        ctx.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        ctx.SignInAs(caller);
        return ctx;
    }
}
