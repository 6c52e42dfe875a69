using System.Collections.Concurrent;
using System.Net;
using LPTracker.Telephony.Registrar;
using LPTracker.Tests.Telephony.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LPTracker.Tests.Telephony.Registrar;

public sealed class LocationStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Bindings_are_removed_when_they_expire()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", expires: "120");

        h.Time.Advance(TimeSpan.FromSeconds(119));
        var before = h.Server.Locations.Count;
        h.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, before);
        Assert.Equal(0, h.Server.Locations.Count);
        Assert.False(h.Server.Presence.GetPresence("alice")!.Online);
    }

    [Fact]
    public async Task Every_change_is_written_through_the_persistence_hook()
    {
        var persistence = new RecordingPersistence();
        await using var h = new RegistrarHarness(persistence: persistence);
        h.AddUser("alice");

        await h.RegisterAsync("alice", expires: "120");
        h.Time.Advance(TimeSpan.FromSeconds(121));

        Assert.Equal([1, 0], persistence.Saves.Where(s => s.User == "alice").Select(s => s.Count));
    }

    [Fact]
    public async Task Refreshes_that_only_move_the_expiry_a_little_are_written_once_and_the_rest_at_stop()
    {
        var persistence = new RecordingPersistence();
        await using var h = new RegistrarHarness(persistence: persistence);
        h.AddUser("alice");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await h.RegisterAsync("alice", expires: "3600", cseq: (uint)(1 + (2 * i)), callId: "call-1")).StatusCode);
            h.Time.Advance(TimeSpan.FromSeconds(5));
        }

        var afterRefreshes = persistence.Saves.Count(s => s.User == "alice");
        var live = Assert.Single(h.Server.Locations.GetBindings("alice")).ExpiresAt;
        await h.Server.Locations.PersistLaggingAsync(CancellationToken.None);

        Assert.Equal(1, afterRefreshes);
        Assert.Equal(live, Assert.Single(persistence.Last["alice"]).ExpiresAt);
    }

    [Fact]
    public async Task A_moved_phone_and_an_expiry_moved_by_a_sixteenth_of_the_interval_are_written()
    {
        var persistence = new RecordingPersistence();
        await using var h = new RegistrarHarness(persistence: persistence);
        h.AddUser("alice");
        var moved = new IPEndPoint(IPAddress.Parse("192.0.2.99"), 5070);
        await h.RegisterAsync("alice", expires: "3600", cseq: 1, callId: "call-1");

        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.RegisterAsync("alice", expires: "3600", cseq: 3, callId: "call-1", from: moved);
        var afterMove = persistence.Saves.Count(s => s.User == "alice");
        h.Time.Advance(TimeSpan.FromSeconds(3600 / BindingDurability.ExpiryLagDivisor) - TimeSpan.FromSeconds(10));
        await h.RegisterAsync("alice", expires: "3600", cseq: 5, callId: "call-1", from: moved);
        var withinLag = persistence.Saves.Count(s => s.User == "alice");
        h.Time.Advance(TimeSpan.FromSeconds(20));
        await h.RegisterAsync("alice", expires: "3600", cseq: 7, callId: "call-1", from: moved);

        Assert.Equal((2, 2, 3), (afterMove, withinLag, persistence.Saves.Count(s => s.User == "alice")));
        Assert.Equal(moved, Assert.Single(persistence.Last["alice"]).RemoteEndPoint);
    }

    [Fact]
    public async Task Persisted_bindings_are_loaded_at_startup_and_expired_ones_dropped()
    {
        var persistence = new RecordingPersistence();
        persistence.Stored.Add(Binding("alice", "sip:alice@192.0.2.10", _time.GetUtcNow().AddMinutes(10)));
        persistence.Stored.Add(Binding("bob", "sip:bob@192.0.2.11", _time.GetUtcNow().AddMinutes(-1)));
        using var store = new InMemoryLocationStore(persistence, _time, NullLogger<InMemoryLocationStore>.Instance);

        await store.LoadAsync(CancellationToken.None);

        Assert.Single(store.GetBindings("alice"));
        Assert.Empty(store.GetBindings("bob"));
        Assert.Empty(persistence.Saves); // what was loaded is what the database holds: not written back
    }

    [Fact]
    public async Task All_bindings_of_a_user_can_be_dropped_at_once()
    {
        await using var h = new RegistrarHarness();
        h.AddUser("alice");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.10:5060>", callId: "1");
        await h.RegisterAsync("alice", contact: "<sip:alice@192.0.2.11:5060>", callId: "2");

        var removed = await h.Server.Locations.RemoveUserAsync("alice", CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.Empty(h.Server.Locations.GetBindings("alice"));
        Assert.False(h.Server.Presence.GetPresence("alice")!.Online);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_user_are_serialised()
    {
        using var store = new InMemoryLocationStore(new NullBindingPersistence(), _time, NullLogger<InMemoryLocationStore>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
            await store.UpdateAsync("alice", (current, now) =>
                new BindingUpdate<bool>([.. current, Binding("alice", $"sip:alice@192.0.2.{i}", now.AddMinutes(5))], true), CancellationToken.None))));

        Assert.Equal(50, store.GetBindings("alice").Count);
        Assert.Equal(50, store.Count);
    }

    internal static SipBinding Binding(string user, string contact, DateTimeOffset expiresAt) => new()
    {
        UserName = user,
        ContactUri = contact,
        CallId = "c",
        CSeq = 1,
        RegisteredAt = expiresAt.AddHours(-1),
        UpdatedAt = expiresAt.AddHours(-1),
        ExpiresAt = expiresAt,
        RemoteEndPoint = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5060),
    };

    private sealed class RecordingPersistence : IBindingPersistence
    {
        public List<SipBinding> Stored { get; } = [];

        public ConcurrentQueue<(string User, int Count)> Saves { get; } = new();

        public ValueTask<IReadOnlyList<SipBinding>> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<SipBinding>>(Stored);

        public ConcurrentDictionary<string, IReadOnlyList<SipBinding>> Last { get; } = new();

        public ValueTask SaveAsync(string userName, IReadOnlyList<SipBinding> bindings, CancellationToken cancellationToken)
        {
            Last[userName] = bindings;
            Saves.Enqueue((userName, bindings.Count));
            return ValueTask.CompletedTask;
        }
    }
}
