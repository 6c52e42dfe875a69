using System.Net;
using LPTracker.Core.Security;
using LPTracker.Core.Telephony;
using LPTracker.Core.Telephony.Provisioning;
using LPTracker.Tests.Infrastructure;
using LPTracker.Tests.Web.Telephony;

namespace LPTracker.Tests.Interop;

/// <summary>The console with a registrar that linphone 5.1 registers with (it answers SHA-256 challenges).</summary>
public sealed class ProvisioningAppFixture : TelephonyAppFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Sip:DigestAlgorithms"] = "SHA-256,MD5",
    };
}

/// <summary>
/// The QR link end to end: the console serves Linphone's remote-provisioning XML over real HTTP, linphonec (given only
/// the link, as a scanned QR code gives it) applies it and registers with the console's registrar.
/// </summary>
public sealed class LinphoneProvisioningTests(ProvisioningAppFixture app) : IClassFixture<ProvisioningAppFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private async Task<(CallerContext Employee, string Link)> LinkForNewEmployeeAsync()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        await app.IssueSipAccountAsync(ivan);
        var link = await app.Get<ProvisioningLinks>().CreateAsync(owner, ivan.EmployeeId, app.BaseUrl);
        Assert.True(link.Succeeded, link.Summary);
        return (ivan, link.Value!.Url);
    }

    [Fact]
    public async Task Linphone_configured_only_by_the_link_registers_and_the_employee_turns_online()
    {
        var (ivan, link) = await LinkForNewEmployeeAsync();

        using var linphone = LinphonePhone.StartWithProvisioning(link);

        var deadline = DateTime.UtcNow + Timeout;
        while (app.Get<ISipPresenceSource>().Get(ivan.EmployeeId).Status != SipStatus.Online && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var presence = app.Get<ISipPresenceSource>().Get(ivan.EmployeeId);
        Assert.True(presence.Status == SipStatus.Online, $"linphonec did not register; its output:\n{linphone.Output}");
        Assert.Contains("Linphone", presence.Device, StringComparison.OrdinalIgnoreCase);
        await linphone.QuitAsync();

        // transient_provisioning: the phone forgot the used link, so it will not fetch a dead link at every start.
        Assert.DoesNotContain(link, await File.ReadAllTextAsync(linphone.ConfigFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_link_answers_once_with_the_xml_and_then_404_without_caching()
    {
        var (_, link) = await LinkForNewEmployeeAsync();
        using var http = new HttpClient();

        using var first = await http.GetAsync(link);
        using var second = await http.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(LinphoneProvisioningXml.ContentType, first.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("auth_info_0", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [Fact]
    public async Task A_guessed_link_is_404()
    {
        await LinkForNewEmployeeAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync($"{app.BaseUrl}/provisioning/{new string('A', 43)}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
