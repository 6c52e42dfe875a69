using System.Diagnostics;
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

    [Fact]
    public async Task The_warm_up_completes_a_round_at_least_and_ends_by_its_limit()
    {
        var options = new SipOptions { WarmUpRegistrations = 20, WarmUpLimit = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();

        var completed = await SipWarmUp.RunUntilQuietAsync(options, CancellationToken.None);

        Assert.True(completed >= 20, $"{completed} registrations completed");
        // A round in flight finishes after the limit; 20 s leaves a loaded CI machine room while a loop that ignored
        // the limit (the JIT is never quiet while other tests run) would not end at all.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }
}
