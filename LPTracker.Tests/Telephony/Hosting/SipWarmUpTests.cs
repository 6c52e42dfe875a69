using LPTracker.Telephony.Hosting;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Hosting;

public sealed class SipWarmUpTests
{
    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256,MD5")]
    public async Task Every_warm_up_registration_is_challenged_and_then_accepted(string algorithms)
    {
        var options = new SipOptions { Domain = "pbx.example.com", DigestAlgorithms = algorithms };

        var completed = await SipWarmUp.RunAsync(options, 40, CancellationToken.None);

        Assert.Equal(40, completed);
    }

    [Fact]
    public async Task A_server_that_warmed_up_starts_with_no_binding_and_no_presence()
    {
        await using var server = await LoopbackServer.StartAsync(o => o.WarmUpRegistrations = 20);

        await SipWarmUp.RunAsync(server.Options, 20, CancellationToken.None);

        Assert.Equal(0, server.Server.Locations.Count);
        Assert.Empty(server.Server.Presence.GetAll());
        Assert.Equal(0, server.Server.Qualify.Scheduled);
    }
}
