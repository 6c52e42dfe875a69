using System.Net;
using LPTracker.Telephony.Registrar;
using LPTracker.Telephony.Sip.Parsing;
using LPTracker.Tests.Telephony.TestSupport;

namespace LPTracker.Tests.Telephony.Registrar;

/// <summary>Decision 0090: a refresh of an unchanged contact (and a qualify answer) updates the stored binding in
/// place; anything durable that changed still makes a new binding, and readers never see half an update.</summary>
public sealed class InPlaceRefreshTests
{
    private const string Instance = "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";
    private const string Contact = $"<sip:alice@192.0.2.10:5060>;q=0.5;+sip.instance=\"{Instance}\";reg-id=1";

    [Fact]
    public async Task A_refresh_of_the_same_contact_updates_the_stored_binding_and_echoes_its_new_expiry_q_and_instance()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: Contact, expires: "600", cseq: 1, callId: "call-1");
        var list = h.Server.Locations.GetBindings("alice");
        var first = Assert.Single(list);
        var registeredAt = first.RegisteredAt;

        h.Time.Advance(TimeSpan.FromSeconds(100));
        var response = await h.RegisterAsync("alice", contact: Contact, expires: "300", cseq: 7, callId: "call-2");

        Assert.Equal(200, response.StatusCode);
        var refreshed = Assert.Single(h.Server.Locations.GetBindings("alice"));
        Assert.Same(first, refreshed);
        Assert.Same(list, h.Server.Locations.GetBindings("alice"));
        var now = h.Time.GetUtcNow();
        Assert.Equal(("call-2", 8u, now, now.AddSeconds(300), registeredAt),
            (refreshed.CallId, refreshed.CSeq, refreshed.UpdatedAt, refreshed.ExpiresAt, refreshed.RegisteredAt));
        var contact = response.GetHeader(SipHeaderNames.Contact)!;
        Assert.Contains(";expires=300", contact, StringComparison.Ordinal);
        Assert.Contains(";q=0.5", contact, StringComparison.Ordinal);
        Assert.Contains($";+sip.instance=\"{Instance}\"", contact, StringComparison.Ordinal);
        Assert.Contains(";reg-id=1", contact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_cseq_is_still_refused_after_an_in_place_refresh()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: Contact, cseq: 1, callId: "call-1");
        await h.RegisterAsync("alice", contact: Contact, cseq: 11, callId: "call-1");

        var replay = await h.RegisterAsync("alice", contact: Contact, cseq: 5, callId: "call-1");

        Assert.Equal(500, replay.StatusCode);
        Assert.Equal(12u, Assert.Single(h.Server.Locations.GetBindings("alice")).CSeq);
    }

    [Theory]
    [InlineData("<sip:alice@192.0.2.10:5060>;q=0.8;+sip.instance=\"" + Instance + "\";reg-id=1", "q")]
    [InlineData("<sip:alice@192.0.2.10:5060>;q=0.5;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000000000001>\";reg-id=1", "instance")]
    [InlineData("<sip:alice@192.0.2.10:5060>;q=0.5;+sip.instance=\"" + Instance + "\";reg-id=2", "reg-id")]
    [InlineData(Contact, "address")]
    public async Task A_refresh_that_changes_anything_durable_makes_a_new_binding_and_leaves_the_old_one_as_it_was(string contact, string what)
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: Contact, expires: "600", cseq: 1, callId: "call-1");
        var old = Assert.Single(h.Server.Locations.GetBindings("alice"));
        var oldExpiry = old.ExpiresAt;
        var from = what == "address" ? new IPEndPoint(IPAddress.Parse("192.0.2.99"), 5070) : null;

        h.Time.Advance(TimeSpan.FromSeconds(100));
        var response = await h.RegisterAsync("alice", contact: contact, expires: "600", cseq: 3, callId: "call-1", from: from);

        Assert.Equal(200, response.StatusCode);
        var next = Assert.Single(h.Server.Locations.GetBindings("alice"));
        Assert.NotSame(old, next);
        Assert.Equal((oldExpiry, 2u), (old.ExpiresAt, old.CSeq));
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(600), next.ExpiresAt);
        var expected = what switch
        {
            "q" => next.Q == 0.8,
            "instance" => next.InstanceId == "<urn:uuid:00000000-0000-1000-8000-000000000001>",
            "reg-id" => next.RegId == 2,
            _ => next.RemoteEndPoint.Equals(from),
        };
        Assert.True(expected, what);
    }

    [Fact]
    public async Task A_refresh_with_another_user_agent_makes_a_new_binding_and_the_same_one_refreshes_in_place()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await RegisterWithAgentAsync(h, "Phone/1.0", cseq: 1);
        var first = Assert.Single(h.Server.Locations.GetBindings("alice"));

        await RegisterWithAgentAsync(h, "Phone/1.0", cseq: 3);
        var same = Assert.Single(h.Server.Locations.GetBindings("alice"));
        await RegisterWithAgentAsync(h, "Phone/2.0", cseq: 5);
        var upgraded = Assert.Single(h.Server.Locations.GetBindings("alice"));

        Assert.Same(first, same);
        Assert.NotSame(first, upgraded);
        Assert.Equal(("Phone/1.0", 4u, "Phone/2.0", 6u), (first.UserAgent, first.CSeq, upgraded.UserAgent, upgraded.CSeq));
    }

    [Fact]
    public async Task A_qualify_answer_updates_the_binding_in_place_and_is_announced()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: Contact);
        var binding = Assert.Single(h.Server.Locations.GetBindings("alice"));
        var announced = new List<Reachability>();
        h.Server.Locations.Changed += (_, list) => announced.Add(list[0].Reachability);

        await h.Server.Locations.SetReachabilityAsync("alice", binding.ContactKey, answered: true, maxMisses: 2, CancellationToken.None,
            TimeSpan.FromMilliseconds(12));
        await h.Server.Locations.SetReachabilityAsync("alice", binding.ContactKey, answered: false, maxMisses: 2, CancellationToken.None);
        var afterOneMiss = (binding.Reachability, binding.MissedPings);
        await h.Server.Locations.SetReachabilityAsync("alice", binding.ContactKey, answered: false, maxMisses: 2, CancellationToken.None);

        Assert.Same(binding, Assert.Single(h.Server.Locations.GetBindings("alice")));
        Assert.Equal((Reachability.Reachable, 1), afterOneMiss);
        Assert.Equal((Reachability.Unreachable, 2, h.Time.GetUtcNow(), TimeSpan.FromMilliseconds(12)),
            (binding.Reachability, binding.MissedPings, binding.LastQualifiedAt, binding.RoundTrip));
        Assert.Equal([Reachability.Reachable, Reachability.Reachable, Reachability.Unreachable], announced);
        Assert.False(h.Server.Presence.GetPresence("alice")!.Online);
    }

    [Fact]
    public async Task A_reader_never_sees_half_an_update()
    {
        var start = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        const int CallIds = 1024;
        const long ReadsWanted = 1_000_000;
        var callIds = Enumerable.Range(0, CallIds).Select(i => $"call-{i}").ToArray();
        var binding = new SipBinding
        {
            UserName = "alice", ContactUri = "sip:alice@192.0.2.10", CallId = callIds[0], CSeq = 0, RegisteredAt = start,
            UpdatedAt = start, ExpiresAt = start.AddSeconds(3600), RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 5060),
        };
        var torn = 0;
        var reads = 0L;
        using var done = new ManualResetEventSlim();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!done.IsSet)
            {
                var state = binding.State;
                var copy = binding with { };
                foreach (var s in new[] { state, copy.State })
                {
                    // Each update writes a matching quadruple: any mix of two updates breaks one of these.
                    if (s.CallId != callIds[s.CSeq % CallIds] || s.UpdatedAt != start.AddSeconds(s.CSeq)
                        || s.ExpiresAt != s.UpdatedAt.AddSeconds(3600)
                        || (int)s.Reachability != s.MissedPings % 3 || s.LastQualifiedAt != (s.MissedPings == 0 ? null : start.AddSeconds(s.MissedPings))
                        || s.RoundTrip != (s.MissedPings == 0 ? null : TimeSpan.FromMilliseconds(s.MissedPings)))
                    {
                        Interlocked.Increment(ref torn);
                    }
                }

                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        // Updates until the readers have read often enough alongside them (on a loaded machine they start late).
        var deadline = Environment.TickCount64 + 60_000;
        var i = 0;
        while (Interlocked.Read(ref reads) < ReadsWanted && Environment.TickCount64 < deadline)
        {
            i++;
            binding.Refresh(callIds[i % CallIds], (uint)i, start.AddSeconds(i), start.AddSeconds(i + 3600));
            binding.SetQualify((Reachability)(i % 3), i, start.AddSeconds(i), TimeSpan.FromMilliseconds(i));
        }

        done.Set();
        await Task.WhenAll(readers);

        Assert.True(Interlocked.Read(ref reads) >= ReadsWanted, $"only {reads} reads in 60 s");
        Assert.Equal((uint)i, binding.CSeq);
        Assert.Equal(0, torn);
    }

    [Fact]
    public void A_refresh_keeps_no_reference_to_the_requests_call_id()
    {
        var binding = Binding("call-1");

        var request = RefreshWithCallIdOfItsOwn(binding);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Decision 0096: a string the binding referenced would live as long as the binding (into gen 2) and die there.
        Assert.False(request.IsAlive);
        Assert.Equal("call-2-from-the-request", binding.CallId);
        Assert.True(binding.HasCallId("call-2-from-the-request"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a-call-id-longer-than-the-buffer-it-was-first-given-0123456789@192.0.2.10")]
    public void Call_ids_of_any_length_read_back_exactly_after_a_refresh(string next)
    {
        var binding = Binding("call-1@192.0.2.10");

        binding.Refresh(next, 2, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));

        Assert.Equal(next, binding.CallId);
        Assert.True(binding.HasCallId(next));
        Assert.False(binding.HasCallId("call-1@192.0.2.10"));
        Assert.Equal(next, (binding with { }).CallId);
    }

    private static SipBinding Binding(string callId) => new()
    {
        UserName = "alice", ContactUri = "sip:alice@192.0.2.10", CallId = callId, CSeq = 1, RegisteredAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.UnixEpoch.AddHours(1),
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 5060),
    };

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RefreshWithCallIdOfItsOwn(SipBinding binding)
    {
        var callId = string.Concat("call-2-", "from-the-request");
        binding.Refresh(callId, 2, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));
        return new WeakReference(callId);
    }

    private static async Task RegisterWithAgentAsync(RegistrarHarness h, string agent, uint cseq)
    {
        const string contact = "<sip:alice@192.0.2.10:5060>";
        var challenge = await h.SendAsync(WithAgent(SipRequests.Register("alice", RegistrarHarness.Domain, contact, cseq, "call-1", expires: "600"), agent));
        var authorization = DigestTestClient.Authorization(challenge!.GetHeader(SipHeaderNames.WwwAuthenticate)!, "alice", "secret", "REGISTER",
            $"sip:{RegistrarHarness.Domain}");
        var ok = await h.SendAsync(WithAgent(SipRequests.Register("alice", RegistrarHarness.Domain, contact, cseq + 1, "call-1", expires: "600",
            authorization: authorization), agent));
        Assert.Equal(200, ok!.StatusCode);
    }

    private static string WithAgent(string request, string agent) =>
        request.Replace("User-Agent: TestPhone/1.0", $"User-Agent: {agent}", StringComparison.Ordinal);
}
