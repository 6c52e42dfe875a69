using System.Globalization;
using LPTracker.Core.Audit;
using LPTracker.Core.Employees;
using LPTracker.Core.Permissions;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Core.Telephony.Provisioning;
using LPTracker.Tests.Core.Audit;
using LPTracker.Tests.Core.Employees;
using LPTracker.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace LPTracker.Tests.Core.Telephony;

/// <summary>The softphone QR link: works once, expires, unguessable, voided by regenerate, delete and a newer link.</summary>
public sealed class ProvisioningLinksTests : IAsyncLifetime
{
    private const string Base = "http://console.test";
    private CoreTestHost _host = null!;
    private CallerContext _owner = null!;
    private CallerContext _ivan = null!;

    public ProvisioningLinksTests() => CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");

    public async Task InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sip:Domain"] = "sip.example.com",
            ["Sip:PublicHost"] = "pbx.example.com",
            ["Sip:PublicPort"] = "5080",
            ["Sip:Transports:0"] = "TCP",
        }));
        _owner = await _host.SignUpAsync();
        _ivan = await _host.AddEmployeeAsync(_owner, "ivan");
        Assert.True((await Sip.GenerateAsync(_owner, _ivan.EmployeeId)).Succeeded);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SipDataService Sip => _host.Get<SipDataService>();

    private ProvisioningLinks Links => _host.Get<ProvisioningLinks>();

    private static string TokenOf(ProvisioningLink link) => link.Url[(link.Url.LastIndexOf('/') + 1)..];

    private async Task<string> CreateTokenAsync(CallerContext? caller = null)
    {
        var result = await Links.CreateAsync(caller ?? _owner, _ivan.EmployeeId, Base);
        Assert.True(result.Succeeded, result.Summary);
        Assert.StartsWith($"{Base}/provisioning/", result.Value!.Url, StringComparison.Ordinal);
        return TokenOf(result.Value);
    }

    [Fact]
    public async Task A_link_serves_the_employees_sip_account_once()
    {
        var token = await CreateTokenAsync();
        var password = (await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value!;

        var first = await Links.RedeemAsync(token, "192.0.2.7");
        var replay = await Links.RedeemAsync(token, "192.0.2.7");

        Assert.NotNull(first);
        Assert.Equal(password, first.Password);
        Assert.EndsWith($"_{_ivan.EmployeeId}", first.UserName, StringComparison.Ordinal);
        Assert.Equal(("pbx.example.com", 5080, "tcp", "sip.example.com", "sip.example.com"),
            (first.Host, first.Port, first.Transport, first.Domain, first.Realm));
        Assert.Null(replay);
    }

    [Fact]
    public async Task A_link_expires_after_24_hours()
    {
        var token = await CreateTokenAsync();

        _host.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        Assert.Null(await Links.RedeemAsync(token, null));
    }

    [Fact]
    public async Task A_link_still_works_just_before_it_expires()
    {
        var token = await CreateTokenAsync();

        _host.Time.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));

        Assert.NotNull(await Links.RedeemAsync(token, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../../etc/passwd")]
    public async Task A_guessed_token_is_refused(string guess)
    {
        await CreateTokenAsync();

        Assert.Null(await Links.RedeemAsync(guess, null));
    }

    [Fact]
    public async Task A_tampered_token_is_refused_and_the_genuine_one_still_works()
    {
        var token = await CreateTokenAsync();
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var longer = token + "A";

        Assert.Null(await Links.RedeemAsync(tampered, null));
        Assert.Null(await Links.RedeemAsync(longer, null));
        Assert.NotNull(await Links.RedeemAsync(token, null));
    }

    [Fact]
    public async Task Regenerating_the_sip_data_voids_outstanding_links()
    {
        var token = await CreateTokenAsync();

        Assert.True((await Sip.RegenerateAsync(_owner, _ivan.EmployeeId)).Succeeded);

        Assert.Null(await Links.RedeemAsync(token, null));
    }

    [Fact]
    public async Task A_newer_link_voids_the_older_one()
    {
        var older = await CreateTokenAsync();
        var newer = await CreateTokenAsync();

        Assert.Null(await Links.RedeemAsync(older, null));
        Assert.NotNull(await Links.RedeemAsync(newer, null));
    }

    [Fact]
    public async Task Deleting_the_employee_voids_their_links()
    {
        var token = await CreateTokenAsync();

        Assert.True((await _host.Get<EmployeeListService>().DeleteAsync(_owner, _ivan.EmployeeId)).Succeeded);

        Assert.Null(await Links.RedeemAsync(token, null));
    }

    [Fact]
    public async Task No_link_is_made_before_sip_data_exists()
    {
        var anna = await _host.AddEmployeeAsync(_owner, "anna");

        var result = await Links.CreateAsync(_owner, anna.EmployeeId, Base);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Someone_without_the_employees_section_cannot_make_a_link()
    {
        var petr = await _host.AddEmployeeAsync(_owner, "petr");

        var result = await Links.CreateAsync(petr, _ivan.EmployeeId, Base);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task An_administrator_outranked_by_the_employee_cannot_make_a_link()
    {
        var admin = await _host.AddEmployeeAsync(_owner, "admin", CommonSections.Employees);
        await _host.SetRightsAsync(_ivan, CommonSections.Employees | CommonSections.Balance, EmployeePermissions.DeleteData);

        var result = await Links.CreateAsync(admin, _ivan.EmployeeId, Base);

        Assert.False(result.Succeeded);
        Assert.Contains("ivan", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_and_using_a_link_are_audited_without_the_password()
    {
        var token = await CreateTokenAsync();
        var password = (await Sip.RevealPasswordAsync(_owner, _ivan.EmployeeId)).Value!;

        await Links.RedeemAsync(token, "192.0.2.7");

        var issued = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.ProvisioningLinkIssued));
        var used = Assert.Single(await _host.AuditAsync(_owner.AccountId, AuditAction.ProvisioningLinkUsed));
        Assert.Equal((_ivan.EmployeeId, _ivan.EmployeeId), (issued.TargetEmployeeId!.Value, used.TargetEmployeeId!.Value));
        Assert.Equal("192.0.2.7", used.ClientAddress);
        var all = await _host.AuditAsync(_owner.AccountId);
        Assert.DoesNotContain(all.SelectMany(r => r.Changes), c => (c.Before + c.After).Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public void The_linphone_document_carries_the_account_and_escapes_values()
    {
        var profile = new ProvisioningProfile("19079_5", "p<&>\"w", "sip.example.com", "realm.example.com", "pbx.example.com", 5080, "udp");

        var xml = System.Xml.Linq.XDocument.Parse(LinphoneProvisioningXml.Render(profile));

        System.Xml.Linq.XNamespace ns = "http://www.linphone.org/xsds/lpconfig.xsd";
        string Entry(string section, string name) => xml.Root!.Elements(ns + "section").Single(s => (string)s.Attribute("name")! == section)
            .Elements(ns + "entry").Single(e => (string)e.Attribute("name")! == name).Value;
        Assert.Equal("<sip:pbx.example.com:5080;transport=udp>", Entry("proxy_0", "reg_proxy"));
        Assert.Equal("sip:19079_5@sip.example.com", Entry("proxy_0", "reg_identity"));
        Assert.Equal(("19079_5", "p<&>\"w", "realm.example.com", "sip.example.com"),
            (Entry("auth_info_0", "username"), Entry("auth_info_0", "passwd"), Entry("auth_info_0", "realm"), Entry("auth_info_0", "domain")));
    }
}
