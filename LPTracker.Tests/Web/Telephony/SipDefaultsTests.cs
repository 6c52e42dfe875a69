using LPTracker.Core.Telephony;

namespace LPTracker.Tests.Web.Telephony;

/// <summary>The console as shipped: the data it issues and shows works with the registrar it hosts.</summary>
public sealed class SipDefaultsTests(DefaultSipAppFixture app) : IClassFixture<DefaultSipAppFixture>
{
    [Fact]
    public async Task With_no_domain_configured_a_phone_registers_with_the_data_the_console_issued()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");
        var (user, password) = await app.IssueSipAccountAsync(ivan);
        using var phone = new TestPhone(app.SipUdp, SipOptions.DefaultDomain, user, password);

        var status = await phone.RegisterAsync();

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task The_sip_data_shows_the_port_the_udp_listener_bound()
    {
        var (owner, _) = await app.SignUpAsync();
        var ivan = await app.AddEmployeeAsync(owner, "ivan");

        var view = (await app.Get<SipDataService>().GetAsync(owner, ivan.EmployeeId)).Value!;

        Assert.NotEqual(5060, app.SipUdp.Port);
        Assert.Equal(app.SipUdp.Port, view.Port);
    }
}
