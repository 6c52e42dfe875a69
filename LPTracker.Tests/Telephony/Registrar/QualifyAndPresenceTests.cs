using System.Text;
using RegistrationReason = LPTracker.Core.Telephony.RegistrationReason;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Telephony.Sip.Transport;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Registrar;

/// <summary>Qualify pings (OPTIONS) and the presence they drive, on a fake clock.</summary>
public sealed class QualifyAndPresenceTests
{
    [Fact]
    public async Task Registering_raises_online_with_owner_ids_user_agent_and_address()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("19079_ivan", employeeId: 42, accountId: 19079);
        var events = new List<SipPresence>();
        using var subscription = h.Server.Presence.Subscribe(events.Add);

        await h.RegisterAsync("19079_ivan");

        var online = Assert.Single(events);
        Assert.Equal(new SipPresence("19079_ivan", 42, 19079, true, h.Time.GetUtcNow(), "TestPhone/1.0", "192.0.2.10:5060")
        {
            Reason = RegistrationReason.Registered, Transport = SipTransportKind.Udp,
        }, online);
        Assert.Equal(online, h.Server.Presence.GetPresence("19079_ivan"));
    }

    [Fact]
    public async Task A_refresh_that_changes_nothing_visible_raises_no_event()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", cseq: 1);
        var events = new List<SipPresence>();
        using var subscription = h.Server.Presence.Subscribe(events.Add);

        await h.RegisterAsync("alice", cseq: 3);

        Assert.Empty(events);
    }

    [Fact]
    public async Task Unregistering_raises_disconnected_and_a_disposed_subscription_hears_nothing()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", cseq: 1);
        var events = new List<SipPresence>();
        var late = new List<SipPresence>();
        using var subscription = h.Server.Presence.Subscribe(events.Add);
        h.Server.Presence.Subscribe(late.Add).Dispose();

        await h.RegisterAsync("alice", expires: "0", cseq: 3);

        Assert.Equal((false, RegistrationReason.Unregistered), (Assert.Single(events).Online, events[0].Reason));
        Assert.Empty(late);
    }

    [Fact]
    public async Task A_phone_that_answers_qualify_pings_stays_online()
    {
        await using var h = new RegistrarHarness(o => o.QualifyInterval = TimeSpan.FromSeconds(30));
        h.AddUser("alice");
        h.Sender.OnSend = m => AnswerOptionsAsync(h, m);
        await h.RegisterAsync("alice", expires: "3600");
        h.Server.Qualify.Tick();

        h.Time.Advance(TimeSpan.FromSeconds(31));
        h.Server.Qualify.Tick();

        await WaitUntilAsync(() => h.Server.Locations.GetBindings("alice").Single().Reachability == Reachability.Reachable);
        Assert.True(h.Server.Presence.GetPresence("alice")!.Online);
    }

    [Fact]
    public async Task A_phone_that_stops_answering_becomes_disconnected_after_the_allowed_misses()
    {
        await using var h = new RegistrarHarness(o =>
        {
            o.QualifyInterval = TimeSpan.FromSeconds(30);
            o.QualifyMaxMisses = 2;
        });
        h.AddUser("alice");
        await h.RegisterAsync("alice", expires: "3600");
        var events = new List<SipPresence>();
        using var subscription = h.Server.Presence.Subscribe(events.Add);

        for (var i = 0; i < 8; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(30));
            h.Server.Qualify.Tick();
            await Task.Delay(20);
        }

        await WaitUntilAsync(() => h.Server.Presence.GetPresence("alice")?.Online == false);
        Assert.Contains(h.Sender.Messages(), m => m is SipRequest { Method: SipMethods.Options });
        Assert.Equal((false, RegistrationReason.QualifyFailed), (Assert.Single(events).Online, events[0].Reason));
        Assert.Single(h.Server.Locations.GetBindings("alice"));
    }

    [Fact]
    public async Task A_dead_phone_turns_disconnected_within_40_seconds_with_the_default_settings()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", expires: "3600");

        await RunClockAsync(h, TimeSpan.FromSeconds(40));

        await WaitUntilAsync(() => h.Server.Presence.GetPresence("alice")?.Online == false);
    }

    [Fact]
    public async Task A_phone_that_refreshes_but_never_answers_pings_stays_disconnected()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", expires: "3600", cseq: 1);
        await RunClockAsync(h, TimeSpan.FromSeconds(40));
        await WaitUntilAsync(() => h.Server.Presence.GetPresence("alice")?.Online == false);
        var events = new List<SipPresence>();
        using var subscription = h.Server.Presence.Subscribe(events.Add);

        await h.RegisterAsync("alice", expires: "3600", cseq: 3);
        await RunClockAsync(h, TimeSpan.FromSeconds(10));
        await h.RegisterAsync("alice", expires: "3600", cseq: 5);

        Assert.False(h.Server.Presence.GetPresence("alice")!.Online);
        Assert.DoesNotContain(events, e => e.Online);
    }

    [Fact]
    public async Task An_answered_ping_records_when_and_how_fast()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        h.Sender.OnSend = m => AnswerOptionsAsync(h, m);
        await h.RegisterAsync("alice", expires: "3600");

        await RunClockAsync(h, TimeSpan.FromSeconds(31));

        await WaitUntilAsync(() => h.Server.Locations.GetBindings("alice").Single().LastQualifiedAt is not null);
        var binding = h.Server.Locations.GetBindings("alice").Single();
        Assert.Equal(Reachability.Reachable, binding.Reachability);
        Assert.NotNull(binding.RoundTrip);
    }

    [Fact]
    public async Task A_tick_pings_only_the_due_contacts_and_the_schedule_forgets_a_contact_that_is_gone()
    {
        await using var h = new RegistrarHarness(o => o.QualifyInterval = TimeSpan.FromSeconds(30));
        h.AddUser("alice");
        h.AddUser("bob");
        await h.RegisterAsync("alice", expires: "3600", cseq: 1);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.RegisterAsync("bob", expires: "3600", cseq: 1, contact: "<sip:bob@192.0.2.11:5060>");
        await h.RegisterAsync("alice", expires: "3600", cseq: 3); // a refresh keeps alice's place
        var scheduled = h.Server.Qualify.Scheduled;

        h.Sender.Clear();
        h.Time.Advance(TimeSpan.FromSeconds(21)); // alice is due (registered at 0), bob not (at 10)
        h.Server.Qualify.Tick();
        var pinged = h.Sender.Messages().OfType<SipRequest>().Where(m => m.Method == SipMethods.Options).Select(m => m.RequestUri).ToList();
        await h.RegisterAsync("bob", expires: "0", cseq: 3, contact: "<sip:bob@192.0.2.11:5060>");
        h.Time.Advance(TimeSpan.FromSeconds(10)); // bob's turn: gone
        h.Server.Qualify.Tick();

        Assert.Equal(2, scheduled);
        Assert.Equal(["sip:alice@192.0.2.10:5060"], pinged);
        Assert.Equal(1, h.Server.Qualify.Scheduled);
        Assert.DoesNotContain(h.Sender.Messages().OfType<SipRequest>(), m => m.RequestUri.Contains("bob", StringComparison.Ordinal));
    }

    /// <summary>Advances the fake clock a second at a time, ticking qualify and letting its continuations run.</summary>
    private static async Task RunClockAsync(RegistrarHarness h, TimeSpan span)
    {
        for (var s = 0; s < span.TotalSeconds; s++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            h.Server.Qualify.Tick();
            // A timed-out ping reschedules itself on a pool thread; on a loaded 2-core machine 15 ms was too short for
            // that to happen before the next second's tick (the dead phone then turned Disconnected a second too late).
            await Task.Delay(60);
        }
    }

    [Fact]
    public async Task Closing_the_tcp_connection_disconnects_its_bindings_at_once()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", transport: SipTransportKind.Tcp, connectionId: 77);

        await h.Server.Locations.ConnectionClosedAsync(77, CancellationToken.None);

        Assert.False(h.Server.Presence.GetPresence("alice")!.Online);
        Assert.Equal(RegistrationReason.QualifyFailed, h.Server.Presence.GetPresence("alice")!.Reason);
        Assert.Equal(SipTransportKind.Tcp, h.Server.Presence.GetPresence("alice")!.Transport);
        Assert.Equal(Reachability.Unreachable, h.Server.Locations.GetBindings("alice").Single().Reachability);
    }

    [Fact]
    public async Task A_binding_that_runs_out_without_a_refresh_goes_offline_as_expired()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", expires: "60");
        var events = new List<SipPresence>();
        using var subscription = h.Server.Presence.Subscribe(events.Add);

        h.Time.Advance(TimeSpan.FromSeconds(61));
        await h.Server.Locations.RemoveExpiredAsync(CancellationToken.None);

        var offline = Assert.Single(events);
        Assert.Equal((false, RegistrationReason.Expired, "TestPhone/1.0"), (offline.Online, offline.Reason, offline.UserAgent));
    }

    [Fact]
    public async Task Qualify_ping_is_an_options_request_to_the_registered_contact()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060;transport=udp>");
        var binding = h.Server.Locations.GetBindings("alice").Single();

        var request = h.Server.Qualify.BuildOptions(binding, binding.Flow!);

        Assert.Equal("OPTIONS sip:alice@192.0.2.10:5060;transport=udp SIP/2.0", Encoding.UTF8.GetString(SipMessageWriter.ToBytes(request)).Split("\r\n")[0]);
        Assert.StartsWith("z9hG4bK", request.TopVia!.Branch, StringComparison.Ordinal);
    }

    private static ValueTask AnswerOptionsAsync(RegistrarHarness h, SipMessage message)
    {
        if (message is SipRequest { Method: SipMethods.Options } options)
        {
            var response = SipResponseFactory.Create(options, 200, "OK");
            h.Server.ClientTransactions.OnResponse(response);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 5 s");
            await Task.Delay(10);
        }
    }
}
