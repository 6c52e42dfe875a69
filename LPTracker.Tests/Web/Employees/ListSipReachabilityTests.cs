using Bunit;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;

namespace LPTracker.Tests.Web.Employees;

/// <summary>The SIP chip's tooltip: each contact with its transport and what the last qualify ping learned.</summary>
public sealed class ListSipReachabilityTests : IAsyncLifetime
{
    private ListPageContext _ctx = null!;
    private CallerContext _main = null!;
    private int _ivan;
    private DateTime _now;

    public async Task InitializeAsync()
    {
        _ctx = await ListPageContext.CreateAsync();
        _main = await _ctx.Host.SignUpAsync();
        var project = await _ctx.Host.FirstProjectAsync(_main.AccountId);
        _ivan = await _ctx.Host.AddEmployeeAsync(_main.AccountId, "Иван Петров", new() { [project] = (true, true) }, sip: true,
            login: $"{_main.AccountId}_ivan");
        _now = _ctx.Host.Time.GetUtcNow().UtcDateTime;
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public void An_online_phones_tooltip_names_each_contact_its_transport_last_check_and_round_trip()
    {
        _ctx.Host.Presence.Set(_ivan, new SipPresence(SipStatus.Online, _now.AddMinutes(-5), "Linphone 5.1", "udp:127.0.0.1:5062",
        [
            new SipContactReach("192.168.1.20:5062", "UDP", true, 0, new DateTime(2026, 11, 28, 8, 59, 0, DateTimeKind.Utc), 23.4),
            new SipContactReach("192.168.1.21:5070", "TCP", null, 0, null, null),
        ]));
        SignInInRussian();

        var (_, _, page) = _ctx.Render();

        var lines = Hint(page).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("с ", lines[0], StringComparison.Ordinal);
        Assert.Equal($"192.168.1.20:5062 (UDP): на связи, проверка {Russian(8, 59)} (UTC), 23 мс", lines[1]);
        Assert.Equal("192.168.1.21:5070 (TCP): ещё не проверялся", lines[2]);
    }

    [Fact]
    public void A_disconnected_phone_that_stopped_answering_says_how_many_checks_it_missed_and_when_it_last_answered()
    {
        _ctx.Host.Presence.Set(_ivan, new SipPresence(SipStatus.Disconnected, _now.AddMinutes(-1), "Yealink T46U", "udp:10.0.0.5:5060",
            [new SipContactReach("10.0.0.5:5060", "UDP", false, 2, new DateTime(2026, 11, 28, 8, 58, 0, DateTimeKind.Utc), 41)]));
        SignInInRussian();

        var (_, _, page) = _ctx.Render();

        Assert.EndsWith($"10.0.0.5:5060 (UDP): не отвечает на проверку (пропущено: 2), последний ответ {Russian(8, 58)} (UTC)",
            Hint(page), StringComparison.Ordinal);
    }

    [Fact]
    public void A_phone_without_contacts_keeps_the_one_line_hint()
    {
        _ctx.Host.Presence.Set(_ivan, new SipPresence(SipStatus.Disconnected, _now.AddMinutes(-1), "Linphone 5.1", "udp:127.0.0.1:5062"));
        SignInInRussian();

        var (_, _, page) = _ctx.Render();

        Assert.DoesNotContain("\n", Hint(page), StringComparison.Ordinal);
    }

    /// <summary>The viewer's culture is the request's (ru by default); set here, since the context was made in an async
    /// method whose culture did not flow back.</summary>
    private void SignInInRussian()
    {
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ru-RU");
        _ctx.SignIn(_main);
    }

    /// <summary>A time of the test's day as the list writes it for a Russian viewer whose zone is not known yet.</summary>
    private static string Russian(int hour, int minute) =>
        new DateTime(2026, 11, 28, hour, minute, 0, DateTimeKind.Utc).ToString("f", new System.Globalization.CultureInfo("ru-RU"));

    private string Hint(IRenderedComponent<LPTracker.Web.Components.Pages.Employees.EmployeeList> page)
    {
        string? hint = null;
        page.WaitForAssertion(() =>
            hint = page.Find($"[data-testid=row-name][data-id='{_ivan}']").Closest("tr")!.QuerySelector("[data-testid=sip-tooltip]")!.GetAttribute("title"));
        return hint!;
    }
}
